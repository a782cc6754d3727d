package io.asynccpu

/**
 * A snapshot of a pool's load and history, from [ProcessPool.stats].
 *
 * The load (first six counts) is read together under the pool's lock, so those counts are consistent with each other at
 * one instant. The cumulative counters (`tasks*`, `workers*Total`, the total times) count since the pool was created
 * and never go down; each is exact, but they are read one after the other, so a task ending during the read may show in
 * one and not yet in another. Only the caller's tasks are counted (tasks, functions, map chunks, streams), never the
 * pool's own requests (initializer, finalizer, broadcasts), as for task [events][ProcessPool.events].
 */
public class PoolStats
internal constructor(
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
    /** Tasks submitted (refused submissions, such as bad input or a closed pool, are not counted). */
    public val tasksSubmitted: Long = 0,
    /**
     * Times a task was handed to a worker. A task whose worker died before it started is handed to another one, and
     * counted again.
     */
    public val tasksStarted: Long = 0,
    /** Tasks that returned a result. */
    public val tasksSucceeded: Long = 0,
    /** Tasks that threw (the caller got the task's exception or a [RemoteTaskException]). */
    public val tasksFailed: Long = 0,
    /** Tasks that failed because the task, an argument or the result could not be encoded, decoded or loaded. */
    public val tasksFailedEncoding: Long = 0,
    /** Tasks failed by an infrastructure failure: their worker crashed or was killed, or the pool broke. */
    public val tasksCrashed: Long = 0,
    /** Tasks cancelled, by the caller or by closing the pool, whether they were queued or running. */
    public val tasksCancelled: Long = 0,
    /**
     * The sum of every start's wait in the queue, from submission to hand-over, in nanoseconds ([tasksStarted] waits).
     */
    public val totalQueueNanos: Long = 0,
    /**
     * The sum of the run times of the tasks that reached a worker and ended, in nanoseconds: as measured in the worker
     * for a result, else from hand-over to the end. [tasksTimed] runs.
     */
    public val totalRunNanos: Long = 0,
    /** How many runs [totalRunNanos] adds up. */
    public val tasksTimed: Long = 0,
    /** Workers that became ready (their initializer done), since the pool was created. */
    public val workersStartedTotal: Long = 0,
    /** Workers that died without being asked to, or were killed by the pool (a cancel not obeyed, a fatal error). */
    public val workersCrashedTotal: Long = 0,
    /** Workers asked to exit gracefully, for any reason (idle, recycled, setup failed, pool closed). */
    public val workersRetiredTotal: Long = 0,
    /** Of [workersRetiredTotal], those retired because they ran `maxTasksPerWorker` tasks. */
    public val workersRecycledTotal: Long = 0,
) {
    /** Tasks that ended, however they ended. */
    public val tasksFinished: Long
        get() = tasksSucceeded + tasksFailed + tasksFailedEncoding + tasksCrashed + tasksCancelled

    override fun toString(): String =
        "PoolStats(workers=$workers, starting=$startingWorkers, busy=$busyWorkers, idle=$idleWorkers, " +
            "pending=$pendingTasks, running=$runningTasks, submitted=$tasksSubmitted, started=$tasksStarted, " +
            "succeeded=$tasksSucceeded, failed=$tasksFailed, failedEncoding=$tasksFailedEncoding, " +
            "crashed=$tasksCrashed, cancelled=$tasksCancelled, workersStarted=$workersStartedTotal, " +
            "workersCrashed=$workersCrashedTotal, workersRetired=$workersRetiredTotal)"
}
