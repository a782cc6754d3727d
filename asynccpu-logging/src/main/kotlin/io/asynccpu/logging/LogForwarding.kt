package io.asynccpu.logging

import kotlinx.coroutines.flow.SharedFlow

/**
 * Log forwarding installed on a pool: the records as a [SharedFlow], and the worker levels of the live pool. Get it
 * from `forwardLogs { }` or, later, from [io.asynccpu.ProcessPool.logForwarding].
 *
 * Implementations are thread-safe.
 */
public interface LogForwarding {
    /** The settings forwarding was installed with. */
    public val config: LogForwardingConfig

    /**
     * Every record of every worker, for Kotlin collectors, next to (not instead of) the listener.
     *
     * A hot flow: a collector sees the records that arrive while it collects (use `onSubscription` to know when it has
     * started). Each collector buffers up to [LogForwardingConfig.flowBufferCapacity] records and then loses the oldest
     * ones, so a slow collector never slows the workers; use a [LogRecordListener] when no record may be missed.
     * Collecting never completes; cancel the collecting coroutine to stop, which is the only effect of cancellation.
     * Records stop arriving when the pool is closed or its workers crash.
     */
    public val records: SharedFlow<LogRecord>

    /** The workers' current threshold for loggers without their own level. */
    public val level: LogLevel

    /** The workers' current per-logger thresholds. */
    public val levels: Map<String, LogLevel>

    /**
     * Changes the threshold for loggers without their own level in every worker, live and future.
     *
     * Never blocks on a worker: the change is queued on each worker's channel, so it applies to every task submitted
     * after this call returns (a task already sent to a worker may still log at the old level). A worker's own
     * [WorkerConfigurer] settings are replaced by the pool's levels.
     */
    public fun setLevel(level: LogLevel)

    /**
     * Sets (or, with null, removes) the threshold of [loggerName] and its descendants in every worker, live and future,
     * with the same timing as the other [setLevel].
     *
     * @throws IllegalArgumentException if [loggerName] is blank.
     */
    public fun setLevel(loggerName: String, level: LogLevel?)
}
