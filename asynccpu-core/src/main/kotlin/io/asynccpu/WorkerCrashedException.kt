package io.asynccpu

/**
 * The worker running the task died, or its channel to the caller broke, before the task answered.
 *
 * Only the tasks that were running on that worker fail with this exception; tasks that had been sent to it but had not
 * started yet go back to the queue, and the pool starts a replacement worker. The task is **not** retried: resubmit it
 * only if it is safe to run twice.
 *
 * The message names the worker, its pid, how it ended (exit code or signal) and the last lines it wrote to stdout and
 * stderr, which are also available as [lastOutput].
 */
public class WorkerCrashedException
internal constructor(
    message: String,
    /** The pool-local id of the worker (1, 2, ...). */
    public val workerId: Int,
    /** The operating-system process id of the worker, or -1 if it never started. */
    public val pid: Long,
    /** The worker's exit code, or null if it was still running (a broken channel) or never started. */
    public val exitCode: Int?,
    /** The signal that killed the worker (9 for SIGKILL), or null if it exited by itself. */
    public val signal: Int?,
    /** The last lines the worker wrote to stdout and stderr, oldest first. */
    public val lastOutput: List<String>,
    cause: Throwable? = null,
) : ProcessPoolException(message, cause)
