package io.asynccpu.internal.pool

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.Job
import kotlinx.coroutines.currentCoroutineContext

/**
 * The structured form of a pool call (`pool.async(...)`): ties a call's unscoped `Deferred` to the caller's `Job` the
 * way `async { }` ties a child coroutine.
 * - The returned `Deferred` is a child of the caller's `Job`: `coroutineScope { }` waits for it, and a failure of the
 *   remote call cancels the scope (so its siblings), exactly as a failing `async` child.
 * - When the child is cancelled (the scope was cancelled, a sibling failed, `withTimeout` fired, or the caller
 *   cancelled it), the underlying call is cancelled, which cancels the remote run.
 * - Without a `Job` in the caller's context the call's own `Deferred` is returned unchanged.
 */
internal object ChildCalls {
    suspend fun <R> adopt(call: Deferred<R>): Deferred<R> {
        val parent = currentCoroutineContext()[Job] ?: return call
        val child = CompletableDeferred<R>(parent)
        call.invokeOnCompletion { cause -> settle(child, call, cause) }
        child.invokeOnCompletion { cause ->
            if (cause != null && call.isActive)
                call.cancel(cause as? CancellationException ?: CancellationException("a sibling failed", cause))
        }
        return child
    }

    /** Awaits [call]; if the caller is cancelled meanwhile, cancels the call (and so the remote run) too. */
    suspend fun <R> awaitCancelling(call: Deferred<R>): R {
        try {
            return call.await()
        } catch (e: CancellationException) {
            call.cancel(e)
            throw e
        }
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    private fun <R> settle(child: CompletableDeferred<R>, call: Deferred<R>, cause: Throwable?) {
        when (cause) {
            null -> child.complete(call.getCompleted())
            is CancellationException -> child.cancel(cause)
            else -> child.completeExceptionally(cause)
        }
    }
}
