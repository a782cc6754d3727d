package io.asynccpu.internal.pool

/**
 * How many requests a worker may hold: its running slots, plus a prefetch window when tasks are short (a wide one below
 * 2 ms, one more round of slots below 50 ms), judged from a moving average of the run times workers report.
 *
 * A queued request starts the moment the previous one ends; without it, each task waits for a round trip through both
 * processes' reader and writer threads, and on a machine whose cores are all busy running tasks each of those wake-ups
 * can wait for a scheduler time slice (W3: 1-3 ms gaps between 2 ms tasks). Long tasks get no prefetch, so a task never
 * waits behind a long one while another worker is free. A worker that has not said HELLO gets no prefetch either. A
 * worker never holds more than it may still run under `maxTasksPerWorker`.
 */
internal class Prefetch(private val tasksPerWorker: Int, private val maxTasksPerWorker: Int) {
    /** Moving average of task run time in the workers, or -1 before the first result. */
    @Volatile private var averageRunNanos = -1.0

    /** Folds a reported run time into the average (reader threads; a lost update only blurs the average). */
    fun record(runNanos: Long) {
        val average = averageRunNanos
        averageRunNanos = if (average < 0) runNanos.toDouble() else average * 0.9 + runNanos * 0.1
    }

    /** The requests [slot] may hold now. Under the scheduler's lock. */
    fun capacity(slot: WorkerSlot): Int {
        val average = averageRunNanos
        var capacity =
            if (!slot.helloReceived || average < 0) {
                tasksPerWorker
            } else {
                tasksPerWorker +
                    when {
                        average < WIDE_BELOW_NANOS -> WIDE
                        average < ONE_ROUND_BELOW_NANOS -> tasksPerWorker
                        else -> 0
                    }
            }
        if (maxTasksPerWorker > 0) {
            capacity = capacity.coerceAtMost(maxTasksPerWorker - slot.tasksDispatched + slot.inFlight.size)
        }
        return capacity
    }

    /** Whether [slot] may still be given callers' tasks under `maxTasksPerWorker`. */
    fun belowTaskLimit(slot: WorkerSlot): Boolean = maxTasksPerWorker == 0 || slot.tasksDispatched < maxTasksPerWorker

    private companion object {
        const val WIDE = 64
        const val WIDE_BELOW_NANOS = 2_000_000.0
        const val ONE_ROUND_BELOW_NANOS = 50_000_000.0
    }
}
