@file:JvmName("TaskIdentity")

package io.asynccpu

import io.asynccpu.internal.pool.TaskIds

/**
 * A handle from one submission made inside [withTaskId], with the task's id.
 *
 * The id is the one in the pool's [events][ProcessPool.events] (`PoolEvent.TaskQueued.taskId` and the others), in the
 * JDK Flight Recorder events (`io.asynccpu.TaskFinished`, and `io.asynccpu.TaskRun` in the worker), in forwarded log
 * records (`LogRecord.taskId`, MDC key `asynccpu.task`) and in `PoolStats`-based metrics: log it to tie a worker's log
 * line to the request that caused it. Ids are unique within a pool.
 *
 * ```
 * val (taskId, result) = pool.withTaskId { submit(SumOfSquares(7)) }
 * log.info("request {} runs as task {}", requestId, taskId)
 * ```
 */
public class SubmittedTask<out H>
internal constructor(
    /** The task's id within its pool. */
    public val taskId: Long,
    /** What the submit call returned: a `Deferred`, a `CompletableFuture`, a [TrackedTask]. */
    public val handle: H,
) {
    /** [taskId], for destructuring: `val (id, deferred) = pool.withTaskId { ... }`. */
    public operator fun component1(): Long = taskId

    /** [handle], for destructuring. */
    public operator fun component2(): H = handle

    override fun toString(): String = "SubmittedTask($taskId, $handle)"
}

/**
 * Runs [submit] on this thread; it must submit exactly one task to a pool (any submit form: `submit` of a task, a
 * function reference or a `JavaTask`, `submitAsync`, `submitWithProgress`, `submitTo`), and returns what it returned
 * with the task's id. The submission must happen inside [submit] on this thread, not in a coroutine it launches. From
 * Java: `JavaTaskIdentity.withTaskId(() -> pool.submitAsync(...))`.
 *
 * The task behaves exactly as if submitted directly (cancellation, crashes, failures). Streams and `map` are not
 * covered: a stream submits when collected, a map one request per chunk; their ids are in the pool events.
 *
 * @throws IllegalArgumentException if [submit] made no submission or more than one; the tasks it did submit still run.
 * @throws PoolClosedException and the other exceptions of the submit call itself, unchanged.
 */
@JvmSynthetic // Java: io.asynccpu.future.JavaTaskIdentity.withTaskId(Supplier)
public fun <P : ProcessPool, H> P.withTaskId(submit: P.() -> H): SubmittedTask<H> {
    val (count, id, handle) = TaskIds.capture { submit() }
    require(count == 1L) {
        "withTaskId { } must submit exactly one task, but it submitted $count: call it once per submission " +
            "(map and stream are not covered; their ids are in the pool events)"
    }
    return SubmittedTask(id, handle)
}
