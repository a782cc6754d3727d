@file:JvmName("ProcessPools")

package io.asynccpu

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import kotlin.reflect.KFunction0
import kotlin.reflect.KFunction1
import kotlin.reflect.KFunction2
import kotlin.reflect.KFunction3
import kotlin.reflect.KSuspendFunction0
import kotlin.reflect.KSuspendFunction1
import kotlin.reflect.KSuspendFunction2
import kotlin.reflect.KSuspendFunction3

// Typed forms of ProcessPool.submitFunction for function references with 0 to 3 arguments.
// Each behaves exactly as ProcessPool.submit on cancellation, worker crash and bad input.

/** Calls the top-level (or `object` member) suspend function [function] in a worker. See [ProcessPool.submitFunction]. */
@JvmName("submitSuspend")
public fun <R> ProcessPool.submit(function: KSuspendFunction0<R>): Deferred<R> =
    submitFunction(function, emptyList())

/** Calls [function]`(a)` in a worker. See [ProcessPool.submitFunction]. */
@JvmName("submitSuspend")
public fun <A, R> ProcessPool.submit(function: KSuspendFunction1<A, R>, a: A): Deferred<R> =
    submitFunction(function, listOf(a))

/** Calls [function]`(a, b)` in a worker. See [ProcessPool.submitFunction]. */
@JvmName("submitSuspend")
public fun <A, B, R> ProcessPool.submit(function: KSuspendFunction2<A, B, R>, a: A, b: B): Deferred<R> =
    submitFunction(function, listOf(a, b))

/** Calls [function]`(a, b, c)` in a worker. See [ProcessPool.submitFunction]. */
@JvmName("submitSuspend")
public fun <A, B, C, R> ProcessPool.submit(function: KSuspendFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
    submitFunction(function, listOf(a, b, c))

/** Calls the top-level (or `object` member) function [function] in a worker. See [ProcessPool.submitFunction]. */
public fun <R> ProcessPool.submit(function: KFunction0<R>): Deferred<R> =
    submitFunction(function, emptyList())

/** Calls [function]`(a)` in a worker. See [ProcessPool.submitFunction]. */
public fun <A, R> ProcessPool.submit(function: KFunction1<A, R>, a: A): Deferred<R> =
    submitFunction(function, listOf(a))

/** Calls [function]`(a, b)` in a worker. See [ProcessPool.submitFunction]. */
public fun <A, B, R> ProcessPool.submit(function: KFunction2<A, B, R>, a: A, b: B): Deferred<R> =
    submitFunction(function, listOf(a, b))

/** Calls [function]`(a, b, c)` in a worker. See [ProcessPool.submitFunction]. */
public fun <A, B, C, R> ProcessPool.submit(function: KFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
    submitFunction(function, listOf(a, b, c))

/**
 * Calls the function reference [function] with [args] in a worker and suspends until the result
 * arrives. This suspending function is cancellable: cancelling the caller cancels the remote call,
 * as with [ProcessPool.run]. Accepts the same references as [ProcessPool.submitFunction].
 */
public suspend fun <R> ProcessPool.runFunction(function: kotlin.reflect.KFunction<R>, vararg args: Any?): R {
    val deferred = submitFunction(function, args.toList())
    try {
        return deferred.await()
    } catch (e: CancellationException) {
        deferred.cancel(e)
        throw e
    }
}

private const val LAMBDA_REFUSED =
    "A lambda cannot travel to a worker process. Use a @Serializable class implementing ProcessTask, " +
        "or a reference to a top-level function (::myFunction)."

/** Refused at compile time: a lambda cannot travel to a worker. */
@Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
@JvmName("submitLambda")
public fun <R> ProcessPool.submit(lambda: suspend () -> R): Deferred<R> = throw IllegalArgumentException(LAMBDA_REFUSED)

/** Refused at compile time: a lambda cannot travel to a worker. */
@Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
@JvmName("submitLambda")
public fun <A, R> ProcessPool.submit(lambda: suspend (A) -> R, a: A): Deferred<R> =
    throw IllegalArgumentException(LAMBDA_REFUSED)
