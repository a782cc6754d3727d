package io.asynccpu

import io.asynccpu.internal.worker.JavaRequests

/**
 * A unit of CPU-bound work written in Java, run in a worker process of a [ProcessPool]: the Java counterpart of
 * [ProcessTask]. The task class travels by name and its [input] by value; the worker creates a fresh instance with the
 * no-argument constructor and calls [call] on it.
 *
 * ```java
 * public final class CountPrimes implements JavaTask<Long, Long> {
 *     @Override
 *     public Long call(Long limit) {
 *         return LongStream.range(2, limit).filter(CountPrimes::isPrime).count();
 *     }
 * }
 *
 * CompletableFuture<Long> primes = pool.submitAsync(CountPrimes.class, 1_000_000L);
 * ```
 *
 * **The class** must be a concrete, top-level or `static` nested class with a no-argument constructor (public is the
 * contract; a package-private one works on the class path too), and must be on the workers' class path, which is the
 * caller's by default. It must bind [I] and [O] to concrete types (`implements JavaTask<Long, Long>`, not a type
 * variable).
 *
 * **Input and output types** ([I] and [O]) may be Java primitives and their boxes, `String`, `byte[]`,
 * `List`/`Set`/`Map` (and `Collection`, `ArrayList`, `HashMap`, ...) of supported types, Java records whose components
 * are supported types (nested records and generic records with concrete type arguments too), enums, and Kotlin
 * `@Serializable` classes. `null` travels as `null`. `Void` is accepted as an output type for tasks that return
 * nothing.
 * - **Bad input**: a class that cannot be instantiated, or an [I]/[O] type outside the set above, is refused at
 *   submission (`IllegalArgumentException` and [TaskEncodingException] respectively, the latter naming the offending
 *   type and the supported set). Only classes implementing this interface are ever instantiated from the bytes a worker
 *   receives; the worker loads the class without initialising it and checks it first.
 * - **Cancellation**: [call] runs on the worker's task thread, where blocking is fine. When the caller cancels
 *   (`future.cancel(true)`, `orTimeout`, an interrupted `invoke`), that thread is interrupted and the processes [call]
 *   started on it are killed (as for [ProcessTask]); a task that ignores the interrupt past the pool's grace period has
 *   its worker killed and replaced.
 * - **Worker crash**: if the worker dies while [call] runs (`System.exit`, `OutOfMemoryError`, a signal), the caller
 *   gets a [WorkerCrashedException]; the task is not retried.
 *
 * @param I the input type.
 * @param O the output type.
 */
public interface JavaTask<I, O> {
    /**
     * Runs the task in the worker process and returns its output, which travels back to the caller.
     *
     * An exception thrown here, checked or not, reaches the caller as itself when its class exists on the caller's
     * class path and can be rebuilt (it has a `(String)`, `(String, Throwable)` or no-argument constructor), with the
     * worker's stack frames; otherwise as a [RemoteTaskException]. Through a `CompletableFuture` it arrives as the
     * cause of the usual `ExecutionException` or `CompletionException`.
     *
     * @param input the value passed to `submitAsync`, decoded in the worker.
     */
    @Throws(Exception::class) public fun call(input: I): O

    /** Holds [reportProgress], called from Java as `JavaTask.reportProgress(0.5, "half way")`. */
    public companion object {
        /**
         * Reports the progress of the Java task running on the calling thread: [value] on the task's own scale and a
         * [message]. The caller sees it when it submitted the task with `submitWithProgressAsync` (or Kotlin's
         * `submitWithProgress`); otherwise it is dropped in the caller's process. Never blocks: the report is queued on
         * the worker's channel, and a caller that reads slowly sees only the latest reports. Called outside a worker,
         * or from a thread other than the one running [call], it does nothing. It does not check for cancellation
         * (check `Thread.interrupted()` for that).
         */
        @JvmStatic
        @JvmOverloads
        public fun reportProgress(value: Double, message: String = "") {
            JavaRequests.reportProgress(value, message)
        }
    }
}
