package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi

/**
 * Code that a [PoolExtension] runs inside every worker process, started once before the worker's first task (for
 * example the child side of log forwarding).
 *
 * Implementations need a public no-argument constructor; only classes implementing this interface are ever loaded from
 * the plugin list. An exception from [start] is reported on the worker's stderr and the worker goes on without the
 * plugin.
 *
 * Internal to asynccpu's own modules ([InternalAsyncCpuApi]): it may change in any release.
 */
@InternalAsyncCpuApi
public interface WorkerPlugin {
    /** Starts the plugin in the worker; [context] sends messages to the caller and receives them. */
    public fun start(context: WorkerContext)
}
