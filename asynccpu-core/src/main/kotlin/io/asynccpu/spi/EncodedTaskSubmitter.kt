package io.asynccpu.spi

import io.asynccpu.FrameTooLargeException
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.PoolClosedException
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.ProcessPoolConfig
import kotlinx.coroutines.Deferred

/**
 * A pool that accepts [EncodedTask]s. Every pool made by `ProcessPool { }` is one, and so are pools of other modules (a
 * cluster-backed pool); `ProcessPool.map` sends its chunks through it.
 *
 * @suppress
 */
@InternalAsyncCpuApi
public interface EncodedTaskSubmitter {
    /**
     * Queues [task] and returns its outcome; never blocks. The `Deferred` completes with the decoded result, or, for a
     * raw task ([EncodedTask.isRaw]), with the result's bytes, a task failure then being an [EncodedFailureException].
     * Cancelling the `Deferred` cancels the remote run as `ProcessPool.submit` does; a worker crash fails it with
     * `WorkerCrashedException`.
     *
     * @throws io.asynccpu.FrameTooLargeException if the task is larger than the pool's `maxFrameSize`.
     * @throws io.asynccpu.PoolClosedException if the pool is closed.
     */
    public fun submitEncoded(task: EncodedTask): Deferred<Any?>

    public companion object {
        /**
         * The immutable configuration [configure] describes, for pools that are not made by `ProcessPool { }` but
         * expose a [ProcessPoolConfig].
         *
         * @throws IllegalArgumentException if a setting is invalid.
         */
        public fun configOf(configure: ProcessPoolBuilder.() -> Unit): ProcessPoolConfig =
            ProcessPoolBuilder().apply(configure).build()

        /** The exception a closed pool throws at submit. */
        public fun poolClosed(message: String): PoolClosedException = PoolClosedException(message)

        /** The exception for a task larger than the pool's limit. */
        public fun frameTooLarge(message: String, size: Long, limit: Int): FrameTooLargeException =
            FrameTooLargeException(message, size, limit)

        /** A [PoolStats] for pools not made by `ProcessPool { }` (workers here may be remote hosts). */
        public fun statsOf(
            workers: Int,
            busyWorkers: Int,
            idleWorkers: Int,
            pendingTasks: Int,
            runningTasks: Int,
        ): PoolStats = PoolStats(workers, 0, busyWorkers, idleWorkers, pendingTasks, runningTasks)
    }
}
