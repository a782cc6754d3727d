package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi

/**
 * What a [WorkerPlugin] can use inside a worker process.
 *
 * Internal to asynccpu's own modules ([InternalAsyncCpuApi]): it may change in any release.
 */
@InternalAsyncCpuApi
public interface WorkerContext {
    /** The pool-local id of this worker. */
    public val workerId: Int

    /** Sends a side-channel message to the caller's process (never blocks; see [SideChannel]). */
    public val toParent: SideChannel

    /** Registers [handler] for side-channel messages with [topic] from the caller's process. */
    public fun onMessage(topic: String, handler: (ByteArray) -> Unit)

    /**
     * Registers [action] to run when the worker is about to exit, gracefully or not (after a task called `System.exit`,
     * after a fatal error, on shutdown), before the channel is flushed for the last time: the place to flush buffered
     * records.
     */
    public fun beforeExit(action: () -> Unit)

    /**
     * The request id of the task running on the calling thread, or null outside a task. Stable for the task's whole
     * run, also after it suspends and resumes.
     */
    public fun currentTaskId(): Long?

    /**
     * Registers [interceptor] around every request this worker runs from now on (register it in [WorkerPlugin.start],
     * before the first task). Interceptors nest in registration order.
     */
    public fun interceptTasks(interceptor: TaskInterceptor)
}
