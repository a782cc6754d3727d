package io.asynccpu

import kotlinx.coroutines.CopyableThrowable
import kotlinx.coroutines.ExperimentalCoroutinesApi

/**
 * The pool cannot start healthy workers: new workers kept failing before they could run a task (a bad JVM option, a
 * missing `java`, an initializer that throws), [ProcessPoolConfig.maxStartAttempts] times in a row. Queued and later
 * submissions fail with this exception instead of respawning workers forever; the [cause] is the last failure: the
 * initializer's own exception, or a [WorkerCrashedException] with the output of a worker that did not start.
 *
 * Fix the configuration (or what the initializer needs), then call [ProcessPool.restore] or create a new pool.
 */
@OptIn(ExperimentalCoroutinesApi::class)
public class BrokenPoolException internal constructor(message: String, cause: Throwable?) :
    ProcessPoolException(message, cause), CopyableThrowable<BrokenPoolException> {
    /**
     * Keeps [cause] when coroutines' stack-trace recovery copies this exception (otherwise the copy's cause would be
     * this exception instead of the initializer's error).
     */
    override fun createCopy(): BrokenPoolException = BrokenPoolException(message ?: "", cause)
}
