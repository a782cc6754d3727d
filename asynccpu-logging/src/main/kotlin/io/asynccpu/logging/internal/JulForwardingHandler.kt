package io.asynccpu.logging.internal

import io.asynccpu.spi.WireThrowable
import java.util.logging.Handler
import java.util.logging.LogManager
import java.util.logging.LogRecord as JulRecord
import java.util.logging.Logger
import java.util.logging.SimpleFormatter

/**
 * Forwards `java.util.logging` records in the worker. [install] replaces the handlers of the JUL root logger (its
 * console handler would print to stderr, which is forwarded too, so every record would arrive twice) and keeps the root
 * logger's level at the most verbose threshold of the level table, so JUL drops records below it before building them;
 * [publish] then applies the per-logger thresholds.
 */
internal class JulForwardingHandler : Handler() {
    private val messageFormatter = SimpleFormatter()

    override fun publish(record: JulRecord?) {
        if (record == null) return
        val level = record.level.toLogLevel()
        val name = record.loggerName.orEmpty()
        if (!ChildLogSink.isEnabled(name, level)) return
        val message =
            try {
                messageFormatter.formatMessage(record)
            } catch (e: Exception) {
                record.message.orEmpty()
            }
        ChildLogSink.emit(
            WireRecord(
                epochMillis = record.millis,
                level = level.ordinal,
                loggerName = name,
                message = message ?: "null",
                threadName = Thread.currentThread().name,
                throwable = record.thrown?.let { WireThrowable.capture(it).toBytes() },
                taskId = ChildLogSink.currentTaskId(),
            )
        )
    }

    override fun flush() {}

    override fun close() {}

    companion object {
        // JUL keeps loggers weakly; hold the root so its handler and level stay put.
        private var root: Logger? = null

        @Synchronized
        fun install() {
            if (root != null) return
            val rootLogger = LogManager.getLogManager().getLogger("")
            rootLogger.handlers.forEach(rootLogger::removeHandler)
            rootLogger.addHandler(JulForwardingHandler())
            root = rootLogger
            ChildLogSink.onLevelsChanged { table -> rootLogger.level = table.mostVerbose().toJulThreshold() }
        }
    }
}
