package io.asynccpu.hazelcast.internal

import org.slf4j.LoggerFactory
import org.slf4j.MDC
import org.slf4j.event.Level

/**
 * Caller side of log forwarding: re-emits a member's worker record into this process's SLF4J under the same logger name
 * and level, with MDC `asynccpu.member` (member address), `asynccpu.pid` (worker pid), `asynccpu.worker` and
 * `asynccpu.thread`, plus the worker's own MDC. A throwable arrives as text, appended to the message.
 */
internal object LogReceiver {
    const val MDC_MEMBER: String = "asynccpu.member"

    fun emit(e: LogEnvelope) {
        val logger = LoggerFactory.getLogger(e.loggerName)
        val level = runCatching { Level.valueOf(e.level) }.getOrNull() ?: return
        if (!logger.isEnabledForLevel(level)) return
        val saved: Map<String, String>? = MDC.getCopyOfContextMap()
        try {
            val context = HashMap(e.mdc)
            context[MDC_MEMBER] = e.member
            context["asynccpu.pid"] = e.workerPid.toString()
            context["asynccpu.worker"] = e.workerId.toString()
            context["asynccpu.thread"] = e.threadName
            MDC.setContextMap(context)
            val text = if (e.throwable == null) e.message else e.message + "\n" + e.throwable
            logger.atLevel(level).setMessage(text).log()
        } finally {
            if (saved == null) MDC.clear() else MDC.setContextMap(saved)
        }
    }
}
