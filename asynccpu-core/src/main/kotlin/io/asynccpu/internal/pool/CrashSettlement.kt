package io.asynccpu.internal.pool

import io.asynccpu.internal.pool.WorkerSlot.Phase

/**
 * What happens to the requests of a worker that is gone: which fail, which go back to the front of the queue (in their
 * order), whether the end counts as a failure to start, and whether it was a graceful exit. A pure function of the
 * facts, so that `SchedulerTest` and readers can check the rules without a process.
 *
 * The rules: a request that may have started is never run again (no silent retry: it fails with a crash). A worker runs
 * requests in the order it got them, so only the first `runningSlots` in flight may have started; the others, and
 * everything on a worker that never became ready, are requeued if they may move (callers' tasks that are not pinned). A
 * worker that dies before it became ready counts as a failure to start unless it was killed on purpose; a discarded
 * worker (failed setup) was already counted.
 */
internal object CrashSettlement {
    class Outcome(
        val failed: List<Request>,
        val requeued: List<Request>,
        val startFailure: Boolean,
        val graceful: Boolean,
    )

    /**
     * @param phase the worker's phase before it was found gone.
     * @param inFlight its requests sent and not answered, in the order they were sent.
     * @param waiting its requests not sent yet (pinned, setup): they fail, there is nowhere else to run them.
     */
    fun settle(
        phase: Phase,
        everReady: Boolean,
        inFlight: List<Request>,
        waiting: List<Request>,
        exit: WorkerExit,
        closing: Boolean,
        runningSlots: Int,
    ): Outcome {
        val failed = ArrayList(waiting)
        val requeued = ArrayList<Request>()
        var startFailure = false
        when {
            phase == Phase.DISCARDED -> failed += inFlight
            !everReady && !closing -> {
                // Nothing of the callers' ran on it: requeue their tasks, unless workers keep failing to start.
                inFlight.forEach { if (it.movable) requeued += it else failed += it }
                startFailure = !exit.killed
            }
            else ->
                inFlight.forEachIndexed { index, request ->
                    if (index >= runningSlots && request.movable) requeued += request else failed += request
                }
        }
        val graceful = phase == Phase.RETIRING && exit.killReason == null && exit.exitCode == 0
        return Outcome(failed, requeued, startFailure, graceful)
    }
}
