@file:JvmName("ProcessPools")

package io.asynccpu

import kotlin.reflect.KFunction0
import kotlin.reflect.KFunction1
import kotlin.reflect.KFunction2
import kotlin.reflect.KFunction3
import kotlin.reflect.KSuspendFunction0
import kotlin.reflect.KSuspendFunction1
import kotlin.reflect.KSuspendFunction2
import kotlin.reflect.KSuspendFunction3
import kotlinx.coroutines.Deferred

// The typed function-reference forms are members of ProcessPool now (see FunctionCalls), so
// `pool.submit(::f, a)` needs no import. These former extensions stay, deprecated, for code that still
// imports `io.asynccpu.submit` (and for binary compatibility); the member is always the one called.

private const val NOW_A_MEMBER = "submit(::f, ...) is a member of ProcessPool now: remove the import io.asynccpu.submit"

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
@JvmName("submitSuspend")
public fun <R> ProcessPool.submit(function: KSuspendFunction0<R>): Deferred<R> = submitFunction(function, emptyList())

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
@JvmName("submitSuspend")
public fun <A, R> ProcessPool.submit(function: KSuspendFunction1<A, R>, a: A): Deferred<R> =
    submitFunction(function, listOf(a))

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
@JvmName("submitSuspend")
public fun <A, B, R> ProcessPool.submit(function: KSuspendFunction2<A, B, R>, a: A, b: B): Deferred<R> =
    submitFunction(function, listOf(a, b))

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
@JvmName("submitSuspend")
public fun <A, B, C, R> ProcessPool.submit(function: KSuspendFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
    submitFunction(function, listOf(a, b, c))

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
public fun <R> ProcessPool.submit(function: KFunction0<R>): Deferred<R> = submitFunction(function, emptyList())

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
public fun <A, R> ProcessPool.submit(function: KFunction1<A, R>, a: A): Deferred<R> =
    submitFunction(function, listOf(a))

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
public fun <A, B, R> ProcessPool.submit(function: KFunction2<A, B, R>, a: A, b: B): Deferred<R> =
    submitFunction(function, listOf(a, b))

/** Deprecated: [FunctionCalls.submit] is a member; remove the import. */
@Deprecated(NOW_A_MEMBER, level = DeprecationLevel.WARNING)
@JvmSynthetic
public fun <A, B, C, R> ProcessPool.submit(function: KFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
    submitFunction(function, listOf(a, b, c))

/**
 * Calls the function reference [function] with [args] in a worker and suspends until the result arrives. This
 * suspending function is cancellable: cancelling the caller cancels the remote call, as with [ProcessPool.run]. Accepts
 * the same references as [FunctionCalls.submitFunction]; prefer the typed `pool.run(::f, a, b)` members, which check
 * the argument types.
 */
@JvmSynthetic
public suspend fun <R> ProcessPool.runFunction(function: kotlin.reflect.KFunction<R>, vararg args: Any?): R =
    io.asynccpu.internal.pool.ChildCalls.awaitCancelling(submitFunction(function, args.toList()))
