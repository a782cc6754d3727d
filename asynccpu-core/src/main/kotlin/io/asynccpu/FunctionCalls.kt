package io.asynccpu

import io.asynccpu.internal.pool.ChildCalls
import kotlin.reflect.KFunction
import kotlin.reflect.KFunction0
import kotlin.reflect.KFunction1
import kotlin.reflect.KFunction2
import kotlin.reflect.KFunction3
import kotlin.reflect.KSuspendFunction0
import kotlin.reflect.KSuspendFunction1
import kotlin.reflect.KSuspendFunction2
import kotlin.reflect.KSuspendFunction3
import kotlinx.coroutines.Deferred

/**
 * Calling a function reference in a worker: the part of [ProcessPool] for `::f` instead of a task class. These are
 * members, so `pool.submit(::f, 2)` needs no import.
 *
 * ```
 * suspend fun cpuBound(taskId: Int): String = ...
 *
 * coroutineScope {
 *     val a = pool.async(::cpuBound, 1)           // structured: a child of this scope
 *     val b = pool.run(::cpuBound, 2)             // suspends until the result arrives
 * }
 * val c = pool.submit(::cpuBound, 3)              // unscoped: runs until it ends or is cancelled
 * ```
 *
 * [function] must be a reference to a top-level function or to a member of an `object` (`::compute`,
 * `MathFunctions::compute`), suspend or not, with 0 to 3 arguments; every argument and the result must be serializable.
 * Each form behaves as its task counterpart ([ProcessPool.submit], [ProcessPool.run], [ProcessPool.async]) on
 * cancellation, worker crash and task failure, and throws:
 * - `IllegalArgumentException` if [function] is a bound reference to an ordinary object, a constructor or a local
 *   function (those cannot travel to another process), or a function of the platform (`kotlin.*`, `java.*`, ...) or of
 *   this library, which workers refuse to call (wrap it in a function of your own package); a lambda does not compile
 *   (see [submit] with a lambda);
 * - [TaskEncodingException] if an argument or the result type cannot be serialized;
 * - [PoolClosedException] if the pool is closed.
 *
 * These members are Kotlin-only (hidden from Java, which cannot make function references): Java callers use [JavaTask]
 * with [ProcessPool.submitAsync].
 */
public interface FunctionCalls {
    /**
     * Calls [function] with [args] in a worker and returns its result as an unscoped `Deferred`. Prefer the typed forms
     * below, which check the argument types and call this.
     */
    public fun <R> submitFunction(function: KFunction<R>, args: List<Any?>): Deferred<R>

    // ---- unscoped: submit ----

    /** Calls [function] in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic public fun <R> submit(function: KFunction0<R>): Deferred<R> = submitFunction(function, emptyList())

    /** Calls [function]`(a)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    public fun <A, R> submit(function: KFunction1<A, R>, a: A): Deferred<R> = submitFunction(function, listOf(a))

    /** Calls [function]`(a, b)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    public fun <A, B, R> submit(function: KFunction2<A, B, R>, a: A, b: B): Deferred<R> =
        submitFunction(function, listOf(a, b))

    /** Calls [function]`(a, b, c)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    public fun <A, B, C, R> submit(function: KFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
        submitFunction(function, listOf(a, b, c))

    /** Calls the suspend [function] in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitSuspend")
    public fun <R> submit(function: KSuspendFunction0<R>): Deferred<R> = submitFunction(function, emptyList())

    /** Calls the suspend [function]`(a)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitSuspend")
    public fun <A, R> submit(function: KSuspendFunction1<A, R>, a: A): Deferred<R> = submitFunction(function, listOf(a))

    /** Calls the suspend [function]`(a, b)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitSuspend")
    public fun <A, B, R> submit(function: KSuspendFunction2<A, B, R>, a: A, b: B): Deferred<R> =
        submitFunction(function, listOf(a, b))

    /** Calls the suspend [function]`(a, b, c)` in a worker; an unscoped `Deferred`, as [ProcessPool.submit]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitSuspend")
    public fun <A, B, C, R> submit(function: KSuspendFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
        submitFunction(function, listOf(a, b, c))

    // ---- structured: async ----

    /** Calls [function] in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    public suspend fun <R> async(function: KFunction0<R>): Deferred<R> = ChildCalls.adopt(submit(function))

    /** Calls [function]`(a)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    public suspend fun <A, R> async(function: KFunction1<A, R>, a: A): Deferred<R> =
        ChildCalls.adopt(submit(function, a))

    /** Calls [function]`(a, b)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    public suspend fun <A, B, R> async(function: KFunction2<A, B, R>, a: A, b: B): Deferred<R> =
        ChildCalls.adopt(submit(function, a, b))

    /** Calls [function]`(a, b, c)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    public suspend fun <A, B, C, R> async(function: KFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
        ChildCalls.adopt(submit(function, a, b, c))

    /** Calls the suspend [function] in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncSuspend")
    public suspend fun <R> async(function: KSuspendFunction0<R>): Deferred<R> = ChildCalls.adopt(submit(function))

    /** Calls the suspend [function]`(a)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncSuspend")
    public suspend fun <A, R> async(function: KSuspendFunction1<A, R>, a: A): Deferred<R> =
        ChildCalls.adopt(submit(function, a))

    /** Calls the suspend [function]`(a, b)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncSuspend")
    public suspend fun <A, B, R> async(function: KSuspendFunction2<A, B, R>, a: A, b: B): Deferred<R> =
        ChildCalls.adopt(submit(function, a, b))

    /** Calls the suspend [function]`(a, b, c)` in a worker as a child of the caller's `Job`, as [ProcessPool.async]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncSuspend")
    public suspend fun <A, B, C, R> async(function: KSuspendFunction3<A, B, C, R>, a: A, b: B, c: C): Deferred<R> =
        ChildCalls.adopt(submit(function, a, b, c))

    // ---- suspending: run ----

    /** Calls [function] in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic public suspend fun <R> run(function: KFunction0<R>): R = ChildCalls.awaitCancelling(submit(function))

    /** Calls [function]`(a)` in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    public suspend fun <A, R> run(function: KFunction1<A, R>, a: A): R = ChildCalls.awaitCancelling(submit(function, a))

    /** Calls [function]`(a, b)` in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    public suspend fun <A, B, R> run(function: KFunction2<A, B, R>, a: A, b: B): R =
        ChildCalls.awaitCancelling(submit(function, a, b))

    /** Calls [function]`(a, b, c)` in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    public suspend fun <A, B, C, R> run(function: KFunction3<A, B, C, R>, a: A, b: B, c: C): R =
        ChildCalls.awaitCancelling(submit(function, a, b, c))

    /** Calls the suspend [function] in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runSuspend")
    public suspend fun <R> run(function: KSuspendFunction0<R>): R = ChildCalls.awaitCancelling(submit(function))

    /** Calls the suspend [function]`(a)` in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runSuspend")
    public suspend fun <A, R> run(function: KSuspendFunction1<A, R>, a: A): R =
        ChildCalls.awaitCancelling(submit(function, a))

    /** Calls the suspend [function]`(a, b)` in a worker and suspends until its result arrives, as [ProcessPool.run]. */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runSuspend")
    public suspend fun <A, B, R> run(function: KSuspendFunction2<A, B, R>, a: A, b: B): R =
        ChildCalls.awaitCancelling(submit(function, a, b))

    /**
     * Calls the suspend [function]`(a, b, c)` in a worker and suspends until its result arrives, as [ProcessPool.run].
     */
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runSuspend")
    public suspend fun <A, B, C, R> run(function: KSuspendFunction3<A, B, C, R>, a: A, b: B, c: C): R =
        ChildCalls.awaitCancelling(submit(function, a, b, c))

    // ---- lambdas: refused at compile time ----

    /** Does not compile: a lambda cannot travel to a worker process. */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitLambda")
    public fun <R> submit(lambda: suspend () -> R): Deferred<R> = throw IllegalArgumentException(LAMBDA_REFUSED)

    /** Does not compile: a lambda cannot travel to a worker process. */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("submitLambda")
    public fun <A, R> submit(lambda: suspend (A) -> R, a: A): Deferred<R> =
        throw IllegalArgumentException(LAMBDA_REFUSED)

    /**
     * Does not compile: a lambda cannot travel to a worker process (the standard library's `run` is not meant here).
     */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runLambda")
    public suspend fun <R> run(lambda: suspend () -> R): R = throw IllegalArgumentException(LAMBDA_REFUSED)

    /** Does not compile: a lambda cannot travel to a worker process. */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("runLambda")
    public suspend fun <A, R> run(lambda: suspend (A) -> R, a: A): R = throw IllegalArgumentException(LAMBDA_REFUSED)

    /** Does not compile: a lambda cannot travel to a worker process. */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncLambda")
    public suspend fun <R> async(lambda: suspend () -> R): Deferred<R> = throw IllegalArgumentException(LAMBDA_REFUSED)

    /** Does not compile: a lambda cannot travel to a worker process. */
    @Deprecated(LAMBDA_REFUSED, level = DeprecationLevel.ERROR)
    @JvmSynthetic
    @Suppress("INAPPLICABLE_JVM_NAME")
    @JvmName("asyncLambda")
    public suspend fun <A, R> async(lambda: suspend (A) -> R, a: A): Deferred<R> =
        throw IllegalArgumentException(LAMBDA_REFUSED)
}

private const val LAMBDA_REFUSED: String =
    "A lambda cannot travel to a worker process. Use a @Serializable class implementing ProcessTask, " +
        "or a reference to a top-level function (::myFunction)."
