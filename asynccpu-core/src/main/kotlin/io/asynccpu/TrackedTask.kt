package io.asynccpu

import kotlinx.coroutines.Deferred
import kotlinx.coroutines.flow.Flow

/**
 * A task submitted with [ProcessPool.submitWithProgress]: its [result], and the [progress] reports the task sends with
 * [reportProgress] while it runs.
 *
 * ```
 * val tracked = pool.submitWithProgress(LongJob())
 * launch { tracked.progress.collect { println("${(it.value * 100).toInt()}% ${it.message}") } }
 * println(tracked.result.await())
 * ```
 */
public class TrackedTask<out R>
internal constructor(
    /**
     * The task's result, exactly as [ProcessPool.submit] returns it: cancelling it cancels the task, a crash fails it
     * with [WorkerCrashedException], a failing task fails it with its exception.
     */
    public val result: Deferred<R>,
    /**
     * The progress reports, in the order the task sent them. The flow completes normally when the task ends, however it
     * ends (check [result] for how). It keeps the latest 64 reports for a slow collector and drops older ones. It is a
     * single-consumer flow, not a `SharedFlow`: it can be collected **once** (a second `collect` throws
     * `IllegalStateException`); to fan the reports out, collect it once into a `MutableSharedFlow` or
     * `MutableStateFlow` of your own.
     */
    public val progress: Flow<Progress>,
    /** The task's id, as in pool events, JFR events and forwarded log records (see [withTaskId]). */
    public val taskId: Long,
)
