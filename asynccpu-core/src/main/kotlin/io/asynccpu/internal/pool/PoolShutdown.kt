package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolConfig
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException

/**
 * Closing a pool, and stopping its workers when the caller's JVM exits. `close()`: no new submissions; queued and
 * running requests finish (or are cancelled, with `cancelPendingOnClose`); then every worker retires (finalizer,
 * SHUTDOWN) and is killed if it has not exited within `shutdownTimeout`. Closing leaves no process behind.
 *
 * @param processes the pool's live worker processes (each removed when it is gone).
 */
internal class PoolShutdown(
    private val config: ProcessPoolConfig,
    private val scheduler: Scheduler,
    private val processes: Collection<WorkerProcess>,
    private val launcher: WorkerLauncher,
) {
    /** Set by `shutdownNow()` (see Shutdowns.kt): [close] cancels queued and running tasks. */
    @Volatile var cancelOnClose: Boolean = false

    /** Counted down once the first [close] finished. */
    private val closed = CountDownLatch(1)

    /** Blocks until the pool is closed; a second caller waits for the first. */
    fun close() {
        if (!scheduler.beginClose()) return closed.await()
        if (config.cancelPendingOnClose || cancelOnClose) cancelAll("ProcessPool '${config.name}' was closed")
        scheduler.drainAndRetireAll()
        val deadline = System.nanoTime() + config.shutdownTimeout.inWholeNanoseconds
        processes.toList().forEach { process ->
            if (!process.awaitExit(millisUntil(deadline)))
                process.kill("did not exit within shutdownTimeout after close()")
            process.awaitExit(EXIT_AFTER_KILL_MILLIS)
        }
        launcher.close()
        PoolRegistry.unregister(this)
        closed.countDown()
    }

    /** Cancels every queued and running request (their `Deferred`s, and so the remote runs). */
    fun cancelAll(reason: String) {
        val cancelled = CancellationException(reason)
        scheduler.unfinished().forEach { it.deferred.cancel(cancelled) }
    }

    /** Kills every worker still alive, failing what it runs with [io.asynccpu.WorkerCrashedException]. */
    fun killAll(reason: String) {
        processes.toList().forEach { if (it.isAlive()) it.kill(reason) }
    }

    /**
     * Called from the JVM shutdown hook (the program exits, or Ctrl-C): queued and running tasks are cancelled with
     * [CancellationException], then every worker's stdin is closed so it exits on its own (flushing what it has,
     * stopping the processes its tasks started); those still alive a moment later are killed.
     */
    fun killWorkers() {
        cancelAll("ProcessPool '${config.name}': the caller's JVM is shutting down")
        val all = processes.toList()
        all.forEach { it.closeInput() }
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOOK_GRACE_MILLIS)
        all.forEach { it.awaitExit(millisUntil(deadline)) }
        all.filter { it.isAlive() }.forEach { it.kill("the caller's JVM is shutting down") }
    }

    private fun millisUntil(deadline: Long) =
        TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()).coerceAtLeast(0)

    private companion object {
        const val EXIT_AFTER_KILL_MILLIS = 2_000L
        const val HOOK_GRACE_MILLIS = 1_000L
    }
}
