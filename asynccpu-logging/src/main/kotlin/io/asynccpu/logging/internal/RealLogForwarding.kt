package io.asynccpu.logging.internal

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerOutputListener
import io.asynccpu.WorkerStream
import io.asynccpu.logging.LogForwarding
import io.asynccpu.logging.LogForwardingConfig
import io.asynccpu.logging.LogLevel
import io.asynccpu.logging.LogRecord
import io.asynccpu.logging.LogThrowable
import io.asynccpu.spi.PoolExtension
import io.asynccpu.spi.SideChannel
import io.asynccpu.spi.WireThrowable
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicBoolean
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow

/**
 * The caller's side of log forwarding, installed on the pool as a [PoolExtension].
 *
 * At install it puts the worker SLF4J provider on the worker command line and (with `forwardOutput`) takes over
 * `workerOutput`. Settings reach workers by one channel, the side channel: a new worker's first message is its
 * [WireSettings] (sent in [onWorkerCreated], before anything else is queued for it), and every level change goes to
 * every worker created so far, under the same lock, so each worker ends with the latest levels. Records arrive on each
 * worker's reader thread ([onMessage]) and are delivered there, in order, to the listener and the flow.
 */
internal class RealLogForwarding(override val config: LogForwardingConfig) : LogForwarding, PoolExtension {
    override val name: String = "asynccpu-logging"
    override val workerPlugins: List<String> = listOf(LogForwardingPlugin::class.java.name)

    private val lock = Any()

    /** Replaced under [lock]; read without it. */
    @Volatile private var table = LevelTable(config.level, config.levels)
    private val encodedConfigurer: Pair<String, ByteArray>? = config.configurer?.let(ConfigurerCodec::encode)
    private val channels = ConcurrentHashMap<Int, SideChannel>()
    private val flow =
        MutableSharedFlow<LogRecord>(
            extraBufferCapacity = config.flowBufferCapacity,
            onBufferOverflow = BufferOverflow.DROP_OLDEST,
        )
    private val listenerFailed = AtomicBoolean(false)
    private val decodingFailed = AtomicBoolean(false)

    override val records: SharedFlow<LogRecord> = flow.asSharedFlow()
    override val level: LogLevel
        get() = table.root

    override val levels: Map<String, LogLevel>
        get() = table.loggers

    override fun configure(builder: ProcessPoolBuilder) {
        builder.jvmArgs += "-Dslf4j.provider=${ForwardingServiceProvider::class.java.name}"
        builder.jvmArgs += "-Dslf4j.internal.verbosity=WARN"
        if (config.forwardOutput) builder.workerOutput = WorkerOutputListener(::onOutputLine)
    }

    override fun setLevel(level: LogLevel) = update { it.with(level) }

    override fun setLevel(loggerName: String, level: LogLevel?) {
        require(loggerName.isNotBlank()) { "loggerName must not be blank; use setLevel(level) for the root" }
        update { it.with(loggerName, level) }
    }

    private fun update(change: (LevelTable) -> LevelTable) =
        synchronized(lock) {
            val next = change(table)
            table = next
            val payload = LogCbor.encodeToByteArray(WireLevels.serializer(), next.toWire())
            channels.values.forEach { it.send(Wire.LEVELS_TOPIC, payload) }
        }

    /** Called under the pool's scheduling lock: only encodes and queues. */
    override fun onWorkerCreated(worker: WorkerInfo, channel: SideChannel) =
        synchronized(lock) {
            val settings =
                WireSettings(
                    levels = table.toWire(),
                    forwardJavaUtilLogging = config.forwardJavaUtilLogging,
                    configurerClass = encodedConfigurer?.first,
                    configurer = encodedConfigurer?.second,
                )
            channel.send(Wire.SETTINGS_TOPIC, LogCbor.encodeToByteArray(WireSettings.serializer(), settings))
            channels[worker.id] = channel
        }

    override fun onWorkerStopped(worker: WorkerInfo) {
        channels.remove(worker.id)
    }

    override fun onMessage(worker: WorkerInfo, topic: String, payload: ByteArray) {
        if (topic != Wire.RECORD_TOPIC) return
        val wire: WireRecord
        val throwable: LogThrowable?
        try {
            wire = LogCbor.decodeFromByteArray(WireRecord.serializer(), payload)
            throwable = wire.throwable?.let { LogThrowable(WireThrowable.fromBytes(it)) }
        } catch (e: Exception) {
            if (decodingFailed.compareAndSet(false, true)) {
                System.err.println("asynccpu-logging: dropping an undecodable record from $worker: $e")
            }
            return
        }
        deliver(
            LogRecord(
                epochMillis = wire.epochMillis,
                level = LevelTable.levelOf(wire.level),
                loggerName = wire.loggerName,
                message = wire.message,
                threadName = wire.threadName,
                mdc = wire.mdc,
                keyValues = wire.keys.zip(wire.values),
                markers = wire.markers,
                throwable = throwable,
                workerId = worker.id,
                workerPid = worker.pid,
                taskId = wire.taskId,
            )
        )
    }

    private fun onOutputLine(worker: WorkerInfo, stream: WorkerStream, line: String) {
        val (logger, level) =
            when (stream) {
                WorkerStream.STDOUT -> LogRecord.STDOUT_LOGGER to LogLevel.INFO
                WorkerStream.STDERR -> LogRecord.STDERR_LOGGER to LogLevel.WARN
            }
        if (!table.isEnabled(logger, level)) return
        deliver(
            LogRecord(
                epochMillis = System.currentTimeMillis(),
                level = level,
                loggerName = logger,
                message = line,
                threadName = stream.name.lowercase(),
                mdc = emptyMap(),
                keyValues = emptyList(),
                markers = emptyList(),
                throwable = null,
                workerId = worker.id,
                workerPid = worker.pid,
                taskId = null,
            )
        )
    }

    private fun deliver(record: LogRecord) {
        try {
            config.listener.onRecord(record)
        } catch (e: Exception) {
            if (listenerFailed.compareAndSet(false, true)) {
                System.err.println(
                    "asynccpu-logging: the log record listener ${config.listener} failed (reported once): $e"
                )
            }
        }
        flow.tryEmit(record)
    }

    override fun toString(): String = "LogForwarding(level=$level, levels=$levels)"
}
