package io.asynccpu.internal.pool

import io.asynccpu.PoolEvent

/**
 * Where the scheduler reports what happens to tasks and workers for monitoring: the cumulative [counters] behind
 * `PoolStats`, and the JDK Flight Recorder events. One call per step, so the scheduler needs one line at each place it
 * changes state. Every method is cheap and never blocks: counter increments, and JFR events only while a recording
 * wants them.
 */
internal class PoolTelemetry(private val poolName: String) {
    val counters = PoolCounters()

    /** A caller's task was accepted (queued). */
    fun taskSubmitted(call: Request) {
        counters.submitted.increment()
        if (jfr()) JfrEvents.taskSubmitted(poolName, call)
    }

    /** A caller's task was handed to [slot]; call after [Request.dispatchedAt] is set. */
    fun taskStarted(call: Request, slot: WorkerSlot) {
        counters.taskStarted(call.dispatchedAt - call.submittedAt)
    }

    /** A caller's task ended with [cause] (null: a result). */
    fun taskFinished(call: Request, cause: Throwable?) {
        val now = System.nanoTime()
        val ran = PoolCounters.runNanosOf(call, now)
        counters.taskFinished(cause, ran)
        if (jfr()) JfrEvents.taskFinished(poolName, call, cause, ran, now)
    }

    fun workerStarted(slot: WorkerSlot) {
        counters.workersStarted.increment()
        if (jfr()) JfrEvents.workerStarted(poolName, slot)
    }

    fun workerCrashed(slot: WorkerSlot, error: Throwable) {
        counters.workersCrashed.increment()
        if (jfr()) JfrEvents.workerCrashed(poolName, slot, error)
    }

    fun workerRetired(reason: PoolEvent.WorkerRetired.Reason) {
        counters.workerRetired(reason)
    }

    /**
     * Whether JFR runs in this JVM. Until it does, [JfrEvents] (and its event classes) stay unloaded: loading an Event
     * subclass initialises JFR, which costs a pool's first submit about 100 ms.
     */
    private fun jfr(): Boolean = jdk.jfr.FlightRecorder.isInitialized()
}
