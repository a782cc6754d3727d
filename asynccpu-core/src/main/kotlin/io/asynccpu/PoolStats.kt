package io.asynccpu

/**
 * A snapshot of a pool's load, from [ProcessPool.stats]. The counts are read together under the
 * pool's lock, so they are consistent with each other at one instant.
 */
public class PoolStats internal constructor(
    /** Worker processes alive (starting, ready or retiring). */
    public val workers: Int,
    /** Workers started but not ready yet (JVM starting, initializer or sticky broadcasts running). */
    public val startingWorkers: Int,
    /** Ready workers running at least one task. */
    public val busyWorkers: Int,
    /** Ready workers running nothing. */
    public val idleWorkers: Int,
    /** Tasks submitted and not yet handed to a worker. */
    public val pendingTasks: Int,
    /** Tasks handed to a worker and not answered yet. */
    public val runningTasks: Int,
) {
    override fun toString(): String =
        "PoolStats(workers=$workers, starting=$startingWorkers, busy=$busyWorkers, idle=$idleWorkers, " +
            "pending=$pendingTasks, running=$runningTasks)"
}
