package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.PoolEvent

/**
 * Whether the pool is broken: [maxStartAttempts] workers in a row failed to start (their process died before it became
 * ready, or their setup failed). Kills do not count; a worker that becomes ready resets the count. Breaking fails what
 * is queued; while broken, no worker is started and submitting throws. Guarded by the scheduler's lock (used only under
 * it; takes no lock).
 */
internal class BrokenState(
    private val poolName: String,
    private val maxStartAttempts: Int,
    private val bus: PoolEvents,
) {
    /** The last failure once broken, else null. */
    var cause: Throwable? = null
        private set

    private var why = ""
    private var startFailures = 0

    val isBroken: Boolean
        get() = cause != null

    /** A worker became ready: the failures in a row start over. */
    fun started() {
        startFailures = 0
    }

    /**
     * Counts a worker that failed to start. If that makes [maxStartAttempts] in a row (and the pool was not broken
     * yet), breaks the pool with [error] (failing what is [queued]; [why] gets the count for callers' exceptions) and
     * returns it; else null.
     */
    fun <T : Throwable> startFailed(queued: ArrayDeque<Request>, why: (failures: Int) -> String, error: () -> T): T? {
        if (++startFailures < maxStartAttempts || cause != null) return null
        val cause = error()
        this.cause = cause
        this.why = why(startFailures)
        bus.emit { PoolEvent.PoolBroken(cause) }
        val failed = queued.toList()
        queued.clear()
        failed.forEach { it.deferred.completeExceptionally(exception(cause)) }
        return cause
    }

    /** `restore()`: not broken, and the count starts over. */
    fun reset() {
        cause = null
        startFailures = 0
    }

    /** Throws the [BrokenPoolException] for callers if the pool is broken. */
    fun check() {
        cause?.let { throw exception(it) }
    }

    fun exception(cause: Throwable): BrokenPoolException =
        BrokenPoolException(
            "ProcessPool '$poolName' is broken: $why ($maxStartAttempts attempts). " +
                "The cause is the last failure. Fix the initializer or the JVM settings (jvmArgs, javaHome, classpath), " +
                "then call restore() or create a new pool.",
            cause,
        )
}
