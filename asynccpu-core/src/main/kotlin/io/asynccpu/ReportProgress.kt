@file:JvmName("ProgressReporting")

package io.asynccpu

import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.ProgressReport
import io.asynccpu.internal.worker.RequestContext
import kotlin.coroutines.coroutineContext

/**
 * Reports the progress of the task running in this coroutine: [value] on the task's own scale (for example a fraction
 * between 0 and 1) and a [message]. The caller sees it on [TrackedTask.progress] when it submitted the task with
 * [ProcessPool.submitWithProgress]; otherwise the report is dropped in the caller's process.
 *
 * Never suspends and never blocks: the report is queued on the worker's channel. Reports are samples, not a log: a
 * caller that reads them slowly sees only the latest ones. Called outside a worker (a task run directly in tests) it
 * does nothing. It does not check for cancellation; call `ensureActive()` or `yield()` for that.
 */
@JvmSynthetic // Java tasks call JavaTask.reportProgress
public suspend fun reportProgress(value: Double, message: String = "") {
    val request = coroutineContext[RequestContext] ?: return
    request.send(FlowMessages.progress(request.id, ProgressReport(value, message)))
}
