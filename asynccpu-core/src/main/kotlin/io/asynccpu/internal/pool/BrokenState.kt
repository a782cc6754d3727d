package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException

/**
 * Whether the pool is broken: [maxStartAttempts] workers in a row failed to start (their process died before it became
 * ready, or their setup failed). Kills do not count; a worker that becomes ready resets the count. Guarded by the
 * scheduler's lock.
 */
internal class BrokenState(private val poolName: String, private val maxStartAttempts: Int) {
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

    /** Counts a failure to start; true if it breaks the pool now (it was not broken before). */
    fun startFailed(): Boolean = ++startFailures >= maxStartAttempts && cause == null

    fun failures(): Int = startFailures

    fun breakWith(cause: Throwable, why: String) {
        this.cause = cause
        this.why = why
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
