@file:JvmName("JavaTaskIdentity")

package io.asynccpu.future

import io.asynccpu.SubmittedTask
import io.asynccpu.internal.pool.TaskIds
import java.util.function.Supplier

/**
 * Task ids for Java: runs [submit] on this thread; it must submit exactly one task to a pool (any submit form:
 * `submitAsync` of a task or of a `JavaTask` class, `submitTo`, ...), and returns what it returned with the task's id
 * (see [SubmittedTask] for where the id appears).
 *
 * ```java
 * SubmittedTask<CompletableFuture<Long>> s =
 *     JavaTaskIdentity.withTaskId(() -> pool.submitAsync(CountPrimes.class, 100L));
 * log.info("request {} runs as task {}", requestId, s.getTaskId());
 * ```
 *
 * The task behaves exactly as if submitted directly (cancellation, worker crash, task failure all reach its future
 * unchanged). The submission must happen inside [submit] on this thread, not on an executor it hands work to. Streams
 * and `map` are not covered; their ids are in the pool events.
 *
 * @throws IllegalArgumentException if [submit] made no submission or more than one; the tasks it did submit still run.
 * @throws io.asynccpu.PoolClosedException and the other exceptions of the submit call itself, unchanged.
 */
public fun <H> withTaskId(submit: Supplier<out H>): SubmittedTask<H> {
    val (count, id, handle) = TaskIds.capture { submit.get() }
    require(count == 1L) {
        "withTaskId must submit exactly one task, but it submitted $count: call it once per submission " +
            "(map and stream are not covered; their ids are in the pool events)"
    }
    return SubmittedTask(id, handle)
}
