package io.asynccpu

/**
 * The task threw in the worker, and the thrown exception could not be rebuilt as its original type in the caller's
 * process (its class is not on the caller's classpath, or it has no usable constructor).
 *
 * It carries the remote class name, message and stack frames ([getStackTrace] returns the frames as they were in the
 * worker), and its [cause] chain and suppressed exceptions are rebuilt the same way. This is a *task* failure: the
 * worker is healthy and serves the next task. Infrastructure failures are [WorkerCrashedException] instead.
 */
public class RemoteTaskException
internal constructor(
    /** Fully qualified name of the exception class thrown in the worker. */
    public val remoteClassName: String,
    /** The remote exception's message, or null if it had none. */
    public val remoteMessage: String?,
    cause: Throwable?,
) : ProcessPoolException(if (remoteMessage == null) remoteClassName else "$remoteClassName: $remoteMessage", cause)
