@file:JvmName("ProcessFutures")

package io.asynccpu.future

import java.util.Collections
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.CompletionException
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReference

/**
 * Gathers [futures] into one future of all their results, **in the order of [futures]** (submission order, whatever
 * order they complete in): the Java counterpart of `awaitAll`.
 *
 * ```java
 * List<CompletableFuture<String>> futures = new ArrayList<>();
 * for (int i = 0; i < 10; i++) futures.add(pool.submitAsync(new SumOfSquares(i)));
 * List<String> results = ProcessFutures.allAsList(futures).join();
 * ```
 * - **Failure**: as soon as one input fails, the returned future fails with that input's exception (unwrapped from a
 *   `CompletionException`, so `get()` throws `ExecutionException` with the task's own exception as cause). The other
 *   inputs keep running, as with `awaitAll`; cancel them if you no longer need them.
 * - **Cancellation**: cancelling the returned future, or completing it from outside (for example with `orTimeout`),
 *   cancels every input that is still running, which for futures from `ProcessPool.submitAsync` cancels their remote
 *   work.
 * - An empty collection gives a future that is already complete with an empty list. The returned list is not
 *   modifiable; it contains `null` where an input's result was `null`.
 *
 * @param futures the futures to gather; the collection is copied, so later changes to it do not count.
 */
public fun <T> allAsList(futures: Collection<CompletableFuture<out T>>): CompletableFuture<List<T>> {
    val inputs = futures.toList()
    val gathered = CompletableFuture<List<T>>()
    if (inputs.isEmpty()) {
        gathered.complete(emptyList())
        return gathered
    }
    val remaining = AtomicInteger(inputs.size)
    // The failure an input passed on; any other exceptional completion came from outside.
    val inputFailure = AtomicReference<Throwable>()
    inputs.forEach { input ->
        input.whenComplete { _, failure ->
            if (failure != null) {
                val cause = unwrap(failure)
                inputFailure.compareAndSet(null, cause)
                gathered.completeExceptionally(cause)
            } else if (remaining.decrementAndGet() == 0) {
                gathered.complete(Collections.unmodifiableList(inputs.map { it.getNow(null) }))
            }
        }
    }
    gathered.whenComplete { _, failure ->
        if (failure != null && failure !== inputFailure.get()) inputs.forEach { it.cancel(true) }
    }
    return gathered
}

private fun unwrap(failure: Throwable): Throwable =
    if (failure is CompletionException && failure !is CancellationException && failure.cause != null) failure.cause!!
    else failure
