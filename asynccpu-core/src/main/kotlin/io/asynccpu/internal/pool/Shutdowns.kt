package io.asynccpu.internal.pool

import kotlin.concurrent.thread
import kotlinx.coroutines.CompletableDeferred

/**
 * The suspending shutdowns of a [RealProcessPool] (`shutdown()`, `shutdownNow()`), built on its blocking `close()`: the
 * close runs on a thread of its own, so no caller thread and no dispatcher thread is held while workers finish and
 * exit.
 *
 * `shutdownNow()` = cancel every queued and running call, make `close()` cancel what arrives until it has marked the
 * pool closing, and kill every worker still alive when the cancel grace period has passed. So it returns within the
 * grace period (plus the time to reap killed processes), however the tasks behave, and also when a graceful `close()`
 * was already waiting.
 */
internal object Shutdowns {
    suspend fun shutdown(pool: RealProcessPool) = inBackground(pool) { pool.close() }

    suspend fun shutdownNow(pool: RealProcessPool) = inBackground(pool) { now(pool) }

    fun now(pool: RealProcessPool) {
        val name = pool.config.name
        pool.cancelOnClose = true
        pool.cancelAll("ProcessPool '$name' was shut down with shutdownNow()")
        val killer =
            Timers.schedule(pool.config.cancelGracePeriod.inWholeMilliseconds) {
                pool.killAll("still running when the cancel grace period of shutdownNow() ended")
            }
        try {
            pool.close()
        } finally {
            killer.cancel(false)
        }
    }

    /**
     * Runs [action] on a new daemon thread and suspends until it is done; cancelling the caller stops only the waiting.
     */
    private suspend fun inBackground(pool: RealProcessPool, action: () -> Unit) {
        val done = CompletableDeferred<Unit>()
        thread(name = "${pool.config.name}-shutdown", isDaemon = true) {
            try {
                action()
                done.complete(Unit)
            } catch (e: Throwable) {
                done.completeExceptionally(e)
            }
        }
        done.await()
    }
}
