package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.WorkerInfo

/**
 * An add-on installed on a pool with [ProcessPoolBuilder.install], the way `asynccpu-logging` plugs in without the core
 * knowing about SLF4J.
 *
 * In the caller's process an extension can adjust the configuration ([configure]), talk to each worker over the side
 * channel ([onWorkerCreated], [onWorkerStarted], [onMessage]); in each worker its [workerPlugins] are loaded and
 * started before the first task.
 *
 * Callbacks run on threads owned by the pool and must not block for long. An exception thrown by a callback is printed
 * to `System.err` and otherwise ignored: an extension cannot break the pool.
 *
 * Internal to asynccpu's own modules ([InternalAsyncCpuApi]): it may change in any release.
 */
@InternalAsyncCpuApi
public interface PoolExtension {
    /** A unique name; installing a second extension with the same name has no effect. */
    public val name: String

    /**
     * Class names of [WorkerPlugin] implementations to start in every worker before its first task. Each must implement
     * [WorkerPlugin] and have a public no-argument constructor.
     */
    public val workerPlugins: List<String>
        get() = emptyList()

    /** Called once, when installed, with the builder: add JVM options or wrap the output listener. */
    public fun configure(builder: ProcessPoolBuilder) {}

    /**
     * Called when the pool creates a worker, before any request is queued for it: what is sent on [channel] here
     * (settings the plugins need) reaches the worker's plugins before its first request, the initializer included, and
     * later messages on the same channel follow in order. [worker]'s pid is -1: the process is launched afterwards. A
     * worker that fails to launch or exits still gets [onWorkerStopped]; messages sent to it meanwhile are dropped.
     *
     * Called with the pool's scheduling lock held: only queue messages here (never block, never call the pool).
     */
    public fun onWorkerCreated(worker: WorkerInfo, channel: SideChannel) {}

    /** Called when a worker has started; [channel] sends side-channel messages to that worker. */
    public fun onWorkerStarted(worker: WorkerInfo, channel: SideChannel) {}

    /** Called when a worker is gone (exited, crashed, retired); no more messages will come from it. */
    public fun onWorkerStopped(worker: WorkerInfo) {}

    /** Called for each side-channel message a worker sent on a [topic] this extension's plugins use. */
    public fun onMessage(worker: WorkerInfo, topic: String, payload: ByteArray) {}

    /**
     * Called on the caller's thread by each submission (before the submit call returns): the entries to send with the
     * request to the worker, where a [TaskInterceptor] finds them in [InterceptedTask.context]. Use it for what lives
     * in the caller's thread (an SLF4J MDC, the current trace context). Return an empty map (the default) for nothing;
     * it must be fast.
     *
     * The context is bounded: at most [MAX_CONTEXT_ENTRIES] entries across all extensions, keys up to
     * [MAX_CONTEXT_KEY_LENGTH] characters and values up to [MAX_CONTEXT_VALUE_LENGTH]; entries beyond that are dropped
     * (and reported once on `System.err`), never failing the submission. An exception thrown here is reported the same
     * way and the extension's entries are left out.
     */
    public fun captureContext(): Map<String, String> = emptyMap()

    /** The bounds of a request's context (see [captureContext]). */
    public companion object {
        /** The most entries a request's context holds. */
        public const val MAX_CONTEXT_ENTRIES: Int = 32

        /** The longest key, in characters. */
        public const val MAX_CONTEXT_KEY_LENGTH: Int = 128

        /** The longest value, in characters. */
        public const val MAX_CONTEXT_VALUE_LENGTH: Int = 1024
    }
}
