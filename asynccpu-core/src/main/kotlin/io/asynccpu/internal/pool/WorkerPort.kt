package io.asynccpu.internal.pool

import io.asynccpu.WorkerInfo
import io.asynccpu.internal.protocol.Frame
import kotlin.time.Duration

/**
 * What the [Scheduler] may do to one worker (and what a report may read of it): everything else about the process
 * (launching it, its threads, its exit) stays behind this port in [WorkerProcess]. None of these calls blocks, so the
 * scheduler calls them under its lock. `SchedulerTest` drives the scheduler through a fake port.
 */
internal interface WorkerPort {
    /** Who the worker is; the pid is -1 until its process was launched. */
    val info: WorkerInfo

    /** Queues [frame] for the worker; dropped once the channel is closed or broken. */
    fun send(frame: Frame)

    /** Asks the worker to exit after its running requests (SHUTDOWN), and closes its input. */
    fun shutdown()

    /** Kills the worker and every process it started; its exit is reported to its [WorkerListener] as usual. */
    fun kill(reason: String)

    /** CPU time the worker's process used so far; null before it started, once it is gone, or where unknown. */
    fun cpuTime(): Duration? = null

    /** The worker's resident memory in bytes; null before it started, once it is gone, or where unknown. */
    fun residentBytes(): Long? = null
}

/**
 * Hears from one worker process: every frame it wrote, then exactly once its end. Called on the process's reader thread
 * (frames) and on whichever thread saw the end ([onGone]); [onGone] comes after every frame the worker managed to write
 * has been handed to [onFrame].
 */
internal interface WorkerListener {
    /** A frame arrived; [moreBuffered] says the next one is already buffered in full behind it. */
    fun onFrame(frame: Frame, moreBuffered: Boolean)

    /** The worker is gone (exited, crashed, killed, or its channel broke). */
    fun onGone(exit: WorkerExit)
}

/**
 * How a worker ended: its exit code (null if unknown), the channel failure if any, its last output, and why the pool
 * killed it, if it did.
 */
internal class WorkerExit(
    val exitCode: Int?,
    val cause: Throwable?,
    val lastOutput: List<String>,
    val killReason: String? = null,
) {
    /** Killed on purpose (by the pool, or by SIGKILL/SIGTERM from outside): not a failure to start. */
    val killed: Boolean
        get() = killReason != null || exitCode == 128 + 9 || exitCode == 128 + 15
}
