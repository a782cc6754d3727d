package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel
import io.asynccpu.logging.WorkerConfigurer
import io.asynccpu.logging.WorkerLogSettings
import io.asynccpu.spi.WireThrowable
import io.asynccpu.spi.WorkerContext
import io.asynccpu.spi.WorkerPlugin
import org.slf4j.LoggerFactory

/**
 * The worker side of log forwarding, started by the core once per worker before it reads its first frame: connects
 * [ChildLogSink] to the side channel and listens for the parent's settings.
 *
 * The settings ([Wire.SETTINGS_TOPIC]) are the first message the parent sends a new worker, so they are handled before
 * its first request: they set the levels, install the JUL handler, and run the [WorkerConfigurer], in that order, so
 * the configurer's own records and levels already go through forwarding. Each later [Wire.LEVELS_TOPIC] message
 * replaces the levels (the configurer's too). Side-channel messages are handled one at a time, in order, on the
 * worker's reader thread.
 *
 * Public in bytecode because the core instantiates it by name; not an API.
 */
internal class LogForwardingPlugin : WorkerPlugin {
    private var configured = false

    override fun start(context: WorkerContext) {
        ChildLogSink.attach(context)
        context.onMessage(Wire.SETTINGS_TOPIC) { payload ->
            if (!configured) {
                configured = true
                configure(context, payload)
            }
        }
        context.onMessage(Wire.LEVELS_TOPIC) { payload ->
            ChildLogSink.setLevels(LevelTable.fromWire(LogCbor.decodeFromByteArray(WireLevels.serializer(), payload)))
        }
        // Initialise SLF4J now, before any task: SLF4J queues the calls that other threads make while
        // it initialises and replays them later from the initialising thread, out of order.
        LoggerFactory.getILoggerFactory()
    }

    private fun configure(context: WorkerContext, payload: ByteArray) {
        val settings =
            try {
                LogCbor.decodeFromByteArray(WireSettings.serializer(), payload)
            } catch (e: Exception) {
                report("cannot read the log forwarding settings; forwarding INFO and above", e)
                null
            }
        settings?.let { ChildLogSink.setLevels(LevelTable.fromWire(it.levels)) }
        if (settings?.forwardJavaUtilLogging != false) JulForwardingHandler.install()
        val className = settings?.configurerClass ?: return
        val bytes = settings.configurer ?: return
        try {
            ConfigurerCodec.decode(className, bytes, LogForwardingPlugin::class.java.classLoader)
                .configure(Settings(context.workerId))
        } catch (e: Exception) {
            report("the WorkerConfigurer $className failed", e)
        } catch (e: LinkageError) {
            report("the WorkerConfigurer $className could not be loaded", e)
        }
    }

    private fun report(message: String, error: Throwable) {
        ChildLogSink.emit(
            WireRecord(
                epochMillis = System.currentTimeMillis(),
                level = LogLevel.ERROR.ordinal,
                loggerName = CONFIGURER_LOGGER,
                message = message,
                threadName = Thread.currentThread().name,
                throwable = WireThrowable.capture(error).toBytes(),
            )
        )
    }

    private class Settings(override val workerId: Int) : WorkerLogSettings {
        override val level: LogLevel
            get() = ChildLogSink.table.root

        override fun setLevel(level: LogLevel) = ChildLogSink.setLevels(ChildLogSink.table.with(level))

        override fun setLevel(loggerName: String, level: LogLevel?) {
            require(loggerName.isNotBlank()) { "loggerName must not be blank" }
            ChildLogSink.setLevels(ChildLogSink.table.with(loggerName, level))
        }
    }

    companion object {
        const val CONFIGURER_LOGGER: String = "io.asynccpu.logging.WorkerConfigurer"
    }
}
