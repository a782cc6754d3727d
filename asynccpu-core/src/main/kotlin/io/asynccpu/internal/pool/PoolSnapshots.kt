package io.asynccpu.internal.pool

import io.asynccpu.PoolStats
import io.asynccpu.WorkerReport
import io.asynccpu.internal.pool.WorkerSlot.Phase

/**
 * Builds [PoolStats] from the scheduler's state (called by the [Scheduler] under its lock, so the counts agree) and
 * [WorkerReport]s (outside it: the worker's process is measured through its [WorkerPort]).
 */
internal object PoolSnapshots {
    /** One worker's report; [inFlight] and [ready] were read under the lock together. */
    fun report(slot: WorkerSlot, inFlight: Int, ready: Boolean): WorkerReport =
        WorkerReport(
            worker = slot.info,
            tasksDone = slot.tasksDone,
            tasksInFlight = inFlight,
            ready = ready,
            cpuTime = slot.port.cpuTime(),
            residentMemoryBytes = slot.port.residentBytes(),
        )

    fun stats(slots: List<WorkerSlot>, pending: Int, c: PoolCounters): PoolStats {
        val ready = slots.filter { it.phase == Phase.READY }
        return PoolStats(
            workers = slots.size,
            startingWorkers = slots.count { it.phase == Phase.STARTING || it.phase == Phase.SETTING_UP },
            busyWorkers = ready.count { it.inFlight.isNotEmpty() },
            idleWorkers = ready.count { it.inFlight.isEmpty() },
            pendingTasks = pending + slots.sumOf { it.pinned.size },
            runningTasks = slots.sumOf { s -> s.inFlight.values.count { it.kind == Request.Kind.TASK } },
            tasksSubmitted = c.submitted.sum(),
            tasksStarted = c.started.sum(),
            tasksSucceeded = c.succeeded.sum(),
            tasksFailed = c.failed.sum(),
            tasksFailedEncoding = c.failedEncoding.sum(),
            tasksCrashed = c.crashed.sum(),
            tasksCancelled = c.cancelled.sum(),
            totalQueueNanos = c.queueNanos.sum(),
            totalRunNanos = c.runNanos.sum(),
            tasksTimed = c.timedRuns.sum(),
            workersStartedTotal = c.workersStarted.sum(),
            workersCrashedTotal = c.workersCrashed.sum(),
            workersRetiredTotal = c.workersRetired.sum(),
            workersRecycledTotal = c.workersRecycled.sum(),
        )
    }
}
