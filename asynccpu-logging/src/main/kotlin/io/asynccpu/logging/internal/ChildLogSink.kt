package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel
import io.asynccpu.spi.WorkerContext
import java.util.concurrent.atomic.AtomicLong

/**
 * The worker side of forwarding, shared by the SLF4J loggers and the JUL handler: the level table, and the sending of
 * records to the parent.
 *
 * A record is encoded and handed to the worker's side channel on the thread that logs it. The channel's writer keeps
 * frames in order, so a record always travels ahead of anything the same thread sends later, the task's answer
 * included; this sink never buffers once the plugin has attached it, so nothing is left to flush at exit beyond what
 * the core flushes itself. Records made before [attach] (by a class initialiser that logs before the plugin starts) are
 * kept, up to [EARLY_LIMIT], and sent on attach.
 */
internal object ChildLogSink {
    private const val EARLY_LIMIT = 10_000

    /** Replaced whole on every change; [generation] moves after it so that readers see the new table. */
    @Volatile
    var table: LevelTable = LevelTable(LogLevel.INFO, emptyMap())
        private set

    @Volatile
    var generation: Int = 0
        private set

    @Volatile private var context: WorkerContext? = null
    private val early = ArrayList<WireRecord>()
    private val levelListeners = ArrayList<(LevelTable) -> Unit>()

    /** Records encoded and sent (for tests and diagnostics). */
    val sent: AtomicLong = AtomicLong()

    fun isEnabled(name: String, level: LogLevel): Boolean = table.isEnabled(name, level)

    @Synchronized
    fun setLevels(newTable: LevelTable) {
        table = newTable
        generation++
        levelListeners.forEach { runCatching { it(newTable) } }
    }

    @Synchronized
    fun onLevelsChanged(listener: (LevelTable) -> Unit) {
        levelListeners += listener
        listener(table)
    }

    /** Connects the sink to the worker's side channel and sends the records made before. */
    fun attach(context: WorkerContext) {
        synchronized(this) {
            early.forEach { send(context, it) }
            early.clear()
            this.context = context
        }
    }

    /** The request id of the task on the calling thread, or null. */
    fun currentTaskId(): Long? = context?.currentTaskId()

    /** Encodes and sends [record] now, or keeps it until [attach]. Never blocks on the channel. */
    fun emit(record: WireRecord) {
        val ctx = context
        if (ctx != null) {
            send(ctx, record)
            return
        }
        synchronized(this) {
            val now = context
            if (now != null) send(now, record) else if (early.size < EARLY_LIMIT) early += record
        }
    }

    private fun send(ctx: WorkerContext, record: WireRecord) {
        val bytes = LogCbor.encodeToByteArray(WireRecord.serializer(), record)
        ctx.toParent.send(Wire.RECORD_TOPIC, bytes)
        sent.incrementAndGet()
    }
}
