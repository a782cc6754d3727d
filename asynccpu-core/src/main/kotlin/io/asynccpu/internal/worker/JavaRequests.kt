package io.asynccpu.internal.worker

import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.ProgressReport

/**
 * The request a `JavaTask.call` is running for, per thread: Java code has no coroutine context, so
 * `JavaTask.reportProgress` finds its request here. Set around each call by the Java task codec.
 */
internal object JavaRequests {
    val current: ThreadLocal<RequestContext?> = ThreadLocal()

    /** Sends a progress report for the Java task running on this thread; does nothing outside one. */
    fun reportProgress(value: Double, message: String) {
        val request = current.get() ?: return
        request.send(FlowMessages.progress(request.id, ProgressReport(value, message)))
    }
}
