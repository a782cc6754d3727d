package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel
import io.asynccpu.spi.WireThrowable
import org.slf4j.MDC
import org.slf4j.Marker
import org.slf4j.event.Level
import org.slf4j.event.LoggingEvent
import org.slf4j.helpers.AbstractLogger
import org.slf4j.helpers.MessageFormatter
import org.slf4j.spi.LoggingEventAware

/**
 * The worker's SLF4J logger: checks the level first (a disabled call costs two volatile reads), then builds a
 * [WireRecord] and hands it to [ChildLogSink]. Handles the classic API through [AbstractLogger] and the SLF4J 2 fluent
 * API (key-value pairs, several markers) through [LoggingEventAware].
 */
internal class ForwardingLogger(loggerName: String) : AbstractLogger(), LoggingEventAware {
    init {
        name = loggerName
    }

    /** `generation shl 8 or threshold ordinal` of [ChildLogSink] when last computed; one field, so it is never torn. */
    @Volatile private var cached: Long = -1L

    private fun threshold(): Int {
        val generation = ChildLogSink.generation
        val c = cached
        if (c != -1L && (c ushr 8).toInt() == generation) return (c and 0xFF).toInt()
        val level = ChildLogSink.table.effective(name).ordinal
        cached = (generation.toLong() shl 8) or level.toLong()
        return level
    }

    private fun enabled(level: LogLevel): Boolean = level.ordinal >= threshold()

    override fun isTraceEnabled(): Boolean = enabled(LogLevel.TRACE)

    override fun isTraceEnabled(marker: Marker?): Boolean = enabled(LogLevel.TRACE)

    override fun isDebugEnabled(): Boolean = enabled(LogLevel.DEBUG)

    override fun isDebugEnabled(marker: Marker?): Boolean = enabled(LogLevel.DEBUG)

    override fun isInfoEnabled(): Boolean = enabled(LogLevel.INFO)

    override fun isInfoEnabled(marker: Marker?): Boolean = enabled(LogLevel.INFO)

    override fun isWarnEnabled(): Boolean = enabled(LogLevel.WARN)

    override fun isWarnEnabled(marker: Marker?): Boolean = enabled(LogLevel.WARN)

    override fun isErrorEnabled(): Boolean = enabled(LogLevel.ERROR)

    override fun isErrorEnabled(marker: Marker?): Boolean = enabled(LogLevel.ERROR)

    override fun getFullyQualifiedCallerName(): String = ForwardingLogger::class.java.name

    override fun handleNormalizedLoggingCall(
        level: Level,
        marker: Marker?,
        messagePattern: String?,
        arguments: Array<out Any?>?,
        throwable: Throwable?,
    ) {
        ChildLogSink.emit(
            record(
                level = level.toLogLevel(),
                message = MessageFormatter.basicArrayFormat(messagePattern, arguments) ?: "null",
                markers = if (marker == null) emptyList() else listOf(marker.name),
                keys = emptyList(),
                values = emptyList(),
                throwable = throwable,
                epochMillis = System.currentTimeMillis(),
                threadName = Thread.currentThread().name,
                taskId = ChildLogSink.currentTaskId(),
            )
        )
    }

    /** The fluent API (`logger.atInfo().addKeyValue(...).log(...)`); the builder has already checked the level. */
    override fun log(event: LoggingEvent) {
        val level = event.level.toLogLevel()
        if (!enabled(level)) return
        val arguments = event.argumentArray
        var throwable = event.throwable
        var formatArguments = arguments
        if (throwable == null && arguments != null && arguments.isNotEmpty() && arguments.last() is Throwable) {
            throwable = arguments.last() as Throwable
            formatArguments = arguments.copyOf(arguments.size - 1)
        }
        val pairs = event.keyValuePairs.orEmpty()
        // SLF4J replays calls that other threads made while it was initialising on the initialising
        // thread: keep the original thread, and do not credit the replaying thread's task.
        val current = Thread.currentThread().name
        val thread = event.threadName ?: current
        ChildLogSink.emit(
            record(
                level = level,
                message = MessageFormatter.basicArrayFormat(event.message, formatArguments) ?: "null",
                markers = event.markers.orEmpty().map { it.name },
                keys = pairs.map { it.key },
                values = pairs.map { it.value?.toString() },
                throwable = throwable,
                epochMillis = event.timeStamp.takeIf { it > 0 } ?: System.currentTimeMillis(),
                threadName = thread,
                taskId = if (thread == current) ChildLogSink.currentTaskId() else null,
            )
        )
    }

    private fun record(
        level: LogLevel,
        message: String,
        markers: List<String>,
        keys: List<String>,
        values: List<String?>,
        throwable: Throwable?,
        epochMillis: Long,
        threadName: String,
        taskId: Long?,
    ): WireRecord =
        WireRecord(
            epochMillis = epochMillis,
            level = level.ordinal,
            loggerName = name,
            message = message,
            threadName = threadName,
            mdc = MDC.getCopyOfContextMap().orEmpty(),
            keys = keys,
            values = values,
            markers = markers,
            throwable = throwable?.let { WireThrowable.capture(it).toBytes() },
            taskId = taskId,
        )
}
