package io.asynccpu

import io.asynccpu.internal.future.JavaDurations
import kotlin.time.Duration

/**
 * The resource report of one worker process, from [ProcessPool.workerReports] (like Looppool's reporter). CPU time and
 * resident memory are read from the operating system when the report is made; they are null where the system does not
 * tell (resident memory is read from `/proc` on Linux).
 */
public class WorkerReport
internal constructor(
    /** Which worker (pool-local id and pid). */
    public val worker: WorkerInfo,
    /** Tasks this worker answered (results, failures and cancellations). */
    public val tasksDone: Long,
    /** Tasks handed to it and not answered yet. */
    public val tasksInFlight: Int,
    /**
     * Whether it is ready to run tasks: its JVM answered and its initializer is done (it had its
     * [PoolEvent.WorkerStarted]). A worker still starting is not ready, though it may already hold tasks (they travel
     * with the JVM start); its pid is -1 until its process exists.
     */
    public val ready: Boolean,
    /** CPU time the process has used, user and system, or null if unknown. */
    public val cpuTime: Duration?,
    /** Resident set size of the process in bytes, or null if unknown. */
    public val residentMemoryBytes: Long?,
) {
    /** [cpuTime] as a `java.time.Duration`, or null if unknown; Java calls it `getCpuTime()`. */
    @get:JvmName("getCpuTime")
    public val javaCpuTime: java.time.Duration?
        get() = cpuTime?.let { JavaDurations.of(it) }

    override fun toString(): String =
        "WorkerReport($worker, done=$tasksDone, inFlight=$tasksInFlight, ready=$ready, cpu=$cpuTime, " +
            "rss=${residentMemoryBytes?.let { "${it shr 20} MiB" }})"
}
