package io.asynccpu

import kotlinx.coroutines.flow.Flow

/**
 * A task that emits several values over time: [stream] runs in a worker process, and the caller collects the values as
 * a `Flow<T>` from [ProcessPool.stream].
 *
 * ```
 * @Serializable
 * class Countdown(val from: Int) : StreamingTask<Int> {
 *     override fun stream(): Flow<Int> = flow { for (i in from downTo 0) { emit(i); delay(100) } }
 * }
 *
 * pool.stream(Countdown(10)).collect { println(it) }
 * ```
 *
 * Implement it with a `@Serializable` class, as a [ProcessTask]: the properties are the arguments and the item type [T]
 * is read from the declared type argument, so it must be serializable.
 * - **Back-pressure**: the worker sends at most as many items as the caller's buffer holds; then `emit` in the worker
 *   suspends until the collector has consumed some. A slow collector therefore slows the flow down in the worker
 *   instead of filling memory on either side.
 * - **Cancellation**: when the collector stops (cancelled, or an operator such as `take(3)` is done), the worker
 *   cancels the coroutine collecting [stream]; a worker that ignores that past the pool's grace period is killed and
 *   replaced.
 * - **Failure**: an exception thrown by the flow in the worker is thrown by the caller's `collect`, after the items
 *   emitted before it, as for [ProcessTask.run].
 * - **Worker crash**: the caller's `collect` throws [WorkerCrashedException] after the items already received; the
 *   stream is not restarted.
 * - **Bad input**: a class that is not serializable, or whose item type is not, is refused by [ProcessPool.stream] with
 *   a [TaskEncodingException].
 *
 * A running stream occupies one of its worker's task slots (see [ProcessPoolBuilder.tasksPerWorker]) until it ends.
 */
public interface StreamingTask<out T> {
    /** Returns the flow whose values travel to the caller; collected once, in the worker. */
    public fun stream(): Flow<T>
}
