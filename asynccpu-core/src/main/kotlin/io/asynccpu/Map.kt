@file:JvmName("ProcessPoolMap")

package io.asynccpu

import io.asynccpu.internal.pool.MapFlow
import kotlin.reflect.KFunction1
import kotlin.reflect.KSuspendFunction1
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow

// ProcessPool.map: apply a one-argument function reference to many inputs in the workers.
//
// Every overload behaves the same way:
// - The inputs are cut into chunks of `chunkSize` elements; each chunk travels as one request and the
//   function is applied to its elements one by one in a worker. Raise `chunkSize` for cheap functions
//   (hundreds to thousands of small elements per chunk): it amortises the round trip.
// - At most `buffer` chunks are in flight (submitted and not yet emitted). The input is read only as
//   fast as results are consumed, so an unbounded `Sequence` or `Flow` runs in constant memory.
// - `ordered = true` (the default) emits results in input order; `false` emits each chunk's results
//   as soon as the chunk is done.
// - Cancellation: when the collector is cancelled or stops early (`take(n)`), the chunks in flight are
//   cancelled in the workers and the input is no longer read.
// - Failure: if the function throws for one element, the flow emits the results before that element
//   (in input order when ordered) and then throws that exception (rebuilt as in ProcessPool.run). An
//   exception from the input itself is thrown after the results of the inputs before it.
// - Worker crash: the flow throws WorkerCrashedException at the chunk that was running; it is not retried.
// - Bad input: a lambda, a bound reference or a function with a non-serializable parameter or result
//   type is refused with IllegalArgumentException or TaskEncodingException when map is called; an input
//   that cannot be encoded fails the flow with TaskEncodingException at that chunk.
// The flow is cold: nothing is sent until it is collected, and each collection runs the whole map again.

/**
 * Applies [function] to every element of [inputs] in the workers, [chunkSize] elements per request, and returns the
 * results as a cold `Flow` (see the notes above this function in `Map.kt`: ordering, at most [buffer] chunks in flight,
 * cancellation of remote chunks when the collector stops, errors at the failing element after the earlier results,
 * [WorkerCrashedException] on a crash).
 *
 * ```
 * fun square(x: Int): Int = x * x
 * pool.map(::square, 1..100_000, chunkSize = 1_000).collect { println(it) }
 * ```
 *
 * @throws IllegalArgumentException if [function] cannot travel to a worker (see [ProcessPool.submit] with a function
 *   reference), or [chunkSize] or [buffer] is below 1.
 * @throws TaskEncodingException if the function's parameter or result type is not serializable.
 */
@JvmSynthetic
public fun <T, R> ProcessPool.map(
    function: KFunction1<T, R>,
    inputs: Flow<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs, chunkSize, buffer, ordered)

/** [map] over an `Iterable` (read lazily, as chunks are needed). */
@JvmSynthetic
public fun <T, R> ProcessPool.map(
    function: KFunction1<T, R>,
    inputs: Iterable<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs.asFlow(), chunkSize, buffer, ordered)

/** [map] over a `Sequence`, possibly infinite (read lazily, as chunks are needed). */
@JvmSynthetic
public fun <T, R> ProcessPool.map(
    function: KFunction1<T, R>,
    inputs: Sequence<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs.asFlow(), chunkSize, buffer, ordered)

/** [map] with a suspend function: each element's call may suspend in the worker. */
@JvmSynthetic
@JvmName("mapSuspend")
public fun <T, R> ProcessPool.map(
    function: KSuspendFunction1<T, R>,
    inputs: Flow<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs, chunkSize, buffer, ordered)

/** [map] with a suspend function over an `Iterable`. */
@JvmSynthetic
@JvmName("mapSuspend")
public fun <T, R> ProcessPool.map(
    function: KSuspendFunction1<T, R>,
    inputs: Iterable<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs.asFlow(), chunkSize, buffer, ordered)

/** [map] with a suspend function over a `Sequence`. */
@JvmSynthetic
@JvmName("mapSuspend")
public fun <T, R> ProcessPool.map(
    function: KSuspendFunction1<T, R>,
    inputs: Sequence<T>,
    chunkSize: Int = 1,
    buffer: Int = 2 * config.maxWorkers * config.tasksPerWorker,
    ordered: Boolean = true,
): Flow<R> = MapFlow.create(this, function, inputs.asFlow(), chunkSize, buffer, ordered)
