package io.asynccpu.logging

import io.asynccpu.logging.internal.toSlf4j
import org.slf4j.LoggerFactory
import org.slf4j.MDC
import org.slf4j.MarkerFactory

/**
 * The default [LogRecordListener]: re-emits each worker record into the caller's own SLF4J binding (logback, log4j2,
 * slf4j-simple...) under the same logger name and level, so the caller's configuration filters, formats and routes
 * worker records like its own.
 *
 * For the duration of the call the MDC holds the worker's MDC plus [MDC_WORKER] (worker id), [MDC_PID] (worker pid),
 * [MDC_TASK] (task id, absent outside a task) and [MDC_THREAD] (the worker thread's name); the caller thread's own MDC
 * is restored afterwards. The message is passed already formatted (a `{}` in it is not substituted again), markers are
 * looked up by name with `MarkerFactory`, key-value pairs are passed through the fluent API, and the throwable is
 * rebuilt with [LogThrowable.toThrowable].
 *
 * The caller's binding stamps the event with the time it receives it and the caller's thread; the worker's time is
 * [LogRecord.epochMillis] and its thread is in the MDC. A record whose level the caller's logger has disabled is
 * dropped at once.
 */
public object Slf4jLogRecordListener : LogRecordListener {
    /** MDC key holding the pool-local worker id of the record. */
    public const val MDC_WORKER: String = "asynccpu.worker"

    /** MDC key holding the operating-system pid of the worker. */
    public const val MDC_PID: String = "asynccpu.pid"

    /** MDC key holding the task (request) id; absent when the record was made outside a task. */
    public const val MDC_TASK: String = "asynccpu.task"

    /** MDC key holding the name of the worker thread that logged. */
    public const val MDC_THREAD: String = "asynccpu.thread"

    override fun onRecord(record: LogRecord) {
        val logger = LoggerFactory.getLogger(record.loggerName)
        val level = record.level.toSlf4j() ?: return
        if (!logger.isEnabledForLevel(level)) return
        val saved: Map<String, String>? = MDC.getCopyOfContextMap()
        try {
            val context = HashMap<String, String>(record.mdc.size + 4)
            context.putAll(record.mdc)
            context[MDC_WORKER] = record.workerId.toString()
            context[MDC_PID] = record.workerPid.toString()
            record.taskId?.let { context[MDC_TASK] = it.toString() }
            context[MDC_THREAD] = record.threadName
            MDC.setContextMap(context)
            val event = logger.atLevel(level).setMessage(record.message)
            record.markers.forEach { event.addMarker(MarkerFactory.getMarker(it)) }
            record.keyValues.forEach { (key, value) -> event.addKeyValue(key, value) }
            record.throwable?.let { event.setCause(it.toThrowable()) }
            event.log()
        } finally {
            if (saved == null) MDC.clear() else MDC.setContextMap(saved)
        }
    }
}
