package io.asynccpu.internal.future

import io.asynccpu.Progress
import io.asynccpu.TrackedTask
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executor
import java.util.concurrent.SynchronousQueue
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import java.util.function.Consumer
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.future.future
import kotlinx.coroutines.launch

/**
 * Bridges the pool's [Deferred]s to `CompletableFuture` and to blocking calls, on the model of kotlinx-coroutines'
 * `Deferred.asCompletableFuture()`, with two differences:
 * - The future is completed on [completions], not on the thread that completed the `Deferred` (a worker's reader
 *   thread): `thenApply`/`thenAccept` stages added without `Async` run on the thread that completes the future, and
 *   user code there must not stall, or deadlock, a worker's channel.
 * - Any completion of the future that did not come from the `Deferred` (`cancel`, `orTimeout`, `completeExceptionally`,
 *   even `complete`) cancels the `Deferred`, and so the remote run.
 *
 * The exception a `Deferred` fails with is passed to the future as is (the same instance), so the future's `get()`
 * wraps it once in `ExecutionException` and `join()` once in `CompletionException`.
 */
internal object FutureBridge {
    private val threads = AtomicInteger()

    /**
     * Runs future completions: a cached pool of daemon threads (idle ones end after a while), so that a dependent stage
     * that blocks can never starve the completion of another future.
     */
    private val completions: Executor =
        ThreadPoolExecutor(0, Int.MAX_VALUE, 30, TimeUnit.SECONDS, SynchronousQueue()) { r ->
            Thread(r, "asynccpu-future-${threads.incrementAndGet()}").apply { isDaemon = true }
        }

    fun <T> toFuture(deferred: Deferred<T>): CompletableFuture<T> {
        val future = CompletableFuture<T>()
        future.handle { _, failure -> deferred.cancel(cancellation(failure)) }
        deferred.invokeOnCompletion { cause -> completions.execute { complete(future, deferred, cause) } }
        return future
    }

    /** Runs the suspending [block] in [JavaScope] as a future; cancelling the future cancels [block]. */
    fun <T> future(block: suspend CoroutineScope.() -> T): CompletableFuture<T> = JavaScope.future(block = block)

    /**
     * [toFuture] for a tracked task, handing each progress report to [listener] (in [JavaScope]) and completing the
     * future only after the last report was handed over.
     */
    fun <T> withProgress(tracked: TrackedTask<T>, listener: Consumer<Progress>): CompletableFuture<T> {
        val reports =
            JavaScope.launch {
                try {
                    tracked.progress.collect { listener.accept(it) }
                } catch (e: CancellationException) {
                    throw e
                } catch (e: Exception) {
                    System.err.println("asynccpu: a progress listener failed; no more reports are handed to it: $e")
                }
            }
        val deferred = tracked.result
        val future = CompletableFuture<T>()
        future.handle { _, failure -> deferred.cancel(cancellation(failure)) }
        deferred.invokeOnCompletion { cause ->
            JavaScope.launch {
                reports.join()
                complete(future, deferred, cause)
            }
        }
        return future
    }

    /**
     * Waits for [deferred] on the calling thread and returns its value, or throws the exception it failed with (not
     * wrapped). If the waiting thread is interrupted, the `Deferred` is cancelled (and so the remote run) and
     * [InterruptedException] is thrown.
     */
    fun <T> await(deferred: Deferred<T>): T {
        val result = CompletableFuture<T>()
        deferred.invokeOnCompletion { cause -> complete(result, deferred, cause) }
        try {
            return result.get()
        } catch (e: InterruptedException) {
            deferred.cancel(CancellationException("the thread waiting for the result was interrupted"))
            throw e
        } catch (e: ExecutionException) {
            throw e.cause ?: e
        }
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    private fun <T> complete(future: CompletableFuture<T>, deferred: Deferred<T>, cause: Throwable?) {
        if (cause == null) future.complete(deferred.getCompleted()) else future.completeExceptionally(cause)
    }

    private fun cancellation(failure: Throwable?): CancellationException? =
        when (failure) {
            null -> null
            is CancellationException -> failure
            else -> CancellationException("The CompletableFuture was completed exceptionally: $failure", failure)
        }
}
