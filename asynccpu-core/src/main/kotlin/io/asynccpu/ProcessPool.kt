package io.asynccpu

import io.asynccpu.future.JavaProcessPoolBuilder
import io.asynccpu.internal.future.FutureBridge
import io.asynccpu.internal.pool.RealProcessPool
import kotlinx.coroutines.Deferred
import java.util.concurrent.CompletableFuture
import kotlin.reflect.KFunction

/**
 * A pool of child JVM processes ("workers") that run CPU-bound [ProcessTask]s and top-level
 * functions, and hand their results back as [Deferred] values.
 *
 * ```
 * ProcessPool { maxWorkers = 3 }.use { pool ->
 *     val results = (0 until 10).map { pool.submit(SumOfSquares(it)) }.awaitAll()
 * }
 * ```
 *
 * Workers run `WorkerMain` with the caller's `java.home` and class path, start on demand (or all at
 * once with [ProcessPoolBuilder.startEagerly]), and are reused for many tasks. Tasks wait in a queue
 * while every worker is busy and go to the least-loaded worker when one frees up.
 *
 * **Guarantees.**
 * - Every submitted task ends exactly once: with its result, its exception, a cancellation, or a
 *   [WorkerCrashedException]. Nothing hangs because a worker died or the pool closed.
 * - A worker that crashes fails only the task(s) it was running; it is replaced, and the task is not
 *   retried. Tasks it had received but not started go back to the queue.
 * - Nothing a task prints (to `System.out`, to file descriptor 1, from native code) can corrupt the
 *   channel: results travel on a separate pipe, and stray output reaches [ProcessPoolBuilder.workerOutput].
 * - Workers exit when the caller's process dies, however it dies.
 *
 * Implementations are thread-safe. Create pools with the `ProcessPool { ... }` function, or from Java
 * with `ProcessPool.builder()`:
 *
 * ```java
 * try (ProcessPool pool = ProcessPool.builder().maxWorkers(3).build()) {
 *     CompletableFuture<String> f = pool.submitAsync(new SumOfSquares(1));          // a Kotlin ProcessTask
 *     CompletableFuture<Long> g = pool.submitAsync(CountPrimes.class, 1_000_000L);  // a JavaTask<Long, Long>
 *     CompletableFuture.allOf(f, g).join();
 * }
 * ```
 */
public interface ProcessPool : AutoCloseable {
    /** The configuration this pool was built with. */
    public val config: ProcessPoolConfig

    /**
     * Sends [task] to a worker and returns its result as a [Deferred]. Never blocks and never
     * suspends: the task is encoded on the calling thread and queued.
     *
     * - **Cancellation**: cancelling the returned `Deferred` removes a queued task (it never runs) or
     *   tells the worker to cancel a running one: its coroutine is cancelled and its thread
     *   interrupted. A task still running after [ProcessPoolConfig.cancelGracePeriod] has its worker
     *   killed and replaced. The `Deferred` is not tied to the caller's `Job`; use [run] for that.
     * - **Worker crash**: the `Deferred` fails with [WorkerCrashedException].
     * - **Task failure**: the `Deferred` fails with the task's exception, rebuilt as its own type when
     *   the class exists here, else as [RemoteTaskException].
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws FrameTooLargeException if the encoded task is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submit(task: ProcessTask<R>): Deferred<R>

    /**
     * Runs [task] in a worker and suspends until its result arrives.
     *
     * This suspending function is cancellable: if the calling coroutine is cancelled (for example by
     * `withTimeout`), the remote run is cancelled as described in [submit] and this function throws
     * [kotlinx.coroutines.CancellationException]. Exceptions are those of [submit], thrown directly.
     */
    public suspend fun <R> run(task: ProcessTask<R>): R

    /**
     * Sends the Java task [taskClass] with [input] to a worker and returns its output as a
     * [Deferred]; the worker creates an instance with the no-argument constructor and calls
     * [JavaTask.call]. Never blocks: the input is encoded on the calling thread and queued. Java callers
     * use [submitAsync] instead.
     *
     * Cancellation, crashes and failures behave as in [submit] (for a task written in Java,
     * cancellation interrupts the thread running [JavaTask.call]).
     *
     * @throws IllegalArgumentException if [taskClass] is abstract, anonymous, local, an inner class, or
     *   has no no-argument constructor.
     * @throws TaskEncodingException if the task's input or output type is not one of the supported types
     *   (listed on [JavaTask]), or [input] cannot be encoded; the message names the type.
     * @throws FrameTooLargeException if the encoded input is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submit(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O>

    /**
     * Calls [function] with [args] in a worker. [function] must be a reference to a top-level
     * function or to a member of an `object` (`::compute`, `MathFunctions::compute`), suspend or not;
     * each argument and the result must be serializable. Prefer the typed `submit` overloads
     * (0 to 3 arguments), which call this.
     *
     * Cancellation, crashes and failures behave as in [submit].
     *
     * @throws IllegalArgumentException if [function] is a lambda, a bound reference to an ordinary
     *   object, a constructor or a local function: those cannot travel to another process.
     * @throws TaskEncodingException if an argument or the result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submitFunction(function: KFunction<R>, args: List<Any?>): Deferred<R>

    /**
     * Sends [task] to a worker like [submit], and also returns the progress reports the task sends
     * with [reportProgress] while it runs. Never blocks.
     *
     * The [TrackedTask.result] behaves exactly as [submit]'s `Deferred` on cancellation, worker crash
     * and task failure; [TrackedTask.progress] completes when the task ends, however it ends.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken (see [restore]).
     */
    public fun <R> submitWithProgress(task: ProcessTask<R>): TrackedTask<R>

    /**
     * Runs [task] in the worker [worker] (from [workerReports]) and nowhere else, for tasks that read
     * or change that worker's [WorkerState]. Never blocks. The task waits until the worker is ready
     * and runs after the requests the worker already holds.
     *
     * Cancellation and task failure behave as in [submit]. If the worker crashes before or while
     * running it, the `Deferred` fails with [WorkerCrashedException]: it is never moved to another
     * worker.
     *
     * @throws NoSuchElementException if [worker] is not a live worker of this pool (it retired or crashed).
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken.
     */
    public fun <R> submitTo(worker: WorkerInfo, task: ProcessTask<R>): Deferred<R>

    /**
     * Runs [task] once in every worker that is alive now (including those still starting), and
     * suspends until each has answered; returns their results in no particular order. With
     * [toLaterWorkers] (the default) the task is also remembered and run once, before their first task,
     * in every worker started later (after idle retirement, recycling, a crash, or growth on demand),
     * so that per-worker state it sets up ([WorkerState]) is there for every task. Each worker runs it
     * exactly once. A pool with no live worker returns an empty list (and, with [toLaterWorkers], sets
     * up the workers as they start).
     *
     * In a worker already serving, it runs after the requests that worker holds; with
     * `tasksPerWorker > 1` it may run beside other tasks. In a worker that is starting, it runs during
     * setup: if it fails there, the worker is discarded as for a failing initializer.
     *
     * This suspending function is cancellable: cancelling the caller cancels the copies not finished
     * (the registration for later workers stays).
     *
     * @throws WorkerCrashedException if a worker died before answering.
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken.
     * Any exception the task threw in a worker is thrown as in [run].
     */
    public suspend fun <R> broadcast(task: ProcessTask<R>, toLaterWorkers: Boolean = true): List<R>

    /**
     * Runs the streaming [task] in a worker and returns its values as a cold `Flow`: each collection
     * sends the task again. The worker sends at most [buffer] values ahead of the collector (credit
     * granted as the collector consumes), so a slow collector suspends the task's `emit` in the worker.
     *
     * - **Cancellation**: when the collector stops early (cancelled, `take(n)`, an exception
     *   downstream), the worker is told to cancel the task's flow; one ignoring that past
     *   [ProcessPoolConfig.cancelGracePeriod] is killed and replaced.
     * - **Failure**: `collect` throws the exception the flow threw in the worker, after the values
     *   emitted before it.
     * - **Worker crash**: `collect` throws [WorkerCrashedException] after the values already received.
     *
     * @throws IllegalArgumentException if [buffer] is below 1.
     * @throws TaskEncodingException if the task or its item type cannot be serialized (at once), or an
     *   item cannot be encoded (from `collect`).
     * @throws PoolClosedException if the pool is closed (at once, or from `collect` if closed since).
     */
    public fun <T> stream(task: StreamingTask<T>, buffer: Int = 64): kotlinx.coroutines.flow.Flow<T>

    // ---- Management and introspection ----

    /**
     * Events for monitoring: workers started, retired and crashed; tasks queued, started and finished
     * with their queued and running times. A hot flow: collectors see the events after they subscribe.
     * Emitting never blocks the pool: a collector that falls more than 4096 events behind loses the
     * oldest ones.
     */
    public val events: kotlinx.coroutines.flow.Flow<PoolEvent>

    /** The current counts of workers (starting, busy, idle) and tasks (pending, running). Never blocks for long. */
    public fun stats(): PoolStats

    /**
     * A resource report for each live worker: pid, tasks done, CPU time and resident memory (read from
     * the operating system now, so it works for busy workers too).
     */
    public fun workerReports(): List<WorkerReport>

    /**
     * Starts workers until [workers] of them (at most [ProcessPoolConfig.maxWorkers]) are alive, and
     * suspends until they are ready: JVM up, initializer and sticky broadcasts done. Workers already
     * alive count. Idle warmed-up workers are still retired after [ProcessPoolConfig.idleTimeout].
     *
     * This suspending function is cancellable; cancelling it does not stop the workers it started.
     *
     * @throws WorkerCrashedException if one of them died while starting.
     * @throws BrokenPoolException if the pool is (or became) broken; an initializer's own exception
     *   if it failed in one of them.
     * @throws PoolClosedException if the pool is closed.
     */
    public suspend fun warmUp(workers: Int = config.maxWorkers)

    /**
     * Returns normally if the pool accepts tasks.
     *
     * @throws PoolClosedException if it is closed.
     * @throws BrokenPoolException if it is broken (workers kept failing to start); see [restore].
     */
    public fun check()

    /**
     * Starts a throw-away worker with this pool's configuration (JVM options, class path,
     * initializer), runs a probe task in it and stops it, surfacing configuration errors before real
     * work is submitted. The pool itself is not touched.
     *
     * This suspending function is cancellable: cancelling it stops the probe worker.
     *
     * @throws BrokenPoolException if the worker could not start or its initializer failed (the cause
     *   says why: the initializer's exception, or a [WorkerCrashedException] with the JVM's output).
     * @throws PoolClosedException if the pool is closed.
     */
    public suspend fun test()

    /**
     * Makes a broken pool usable again: forgets the start failures, so later submissions start new
     * workers (with the same configuration: fix what made them fail first, e.g. the data an
     * initializer reads). Tasks that failed with [BrokenPoolException] are not resubmitted. No effect on
     * a healthy pool.
     *
     * @throws PoolClosedException if the pool is closed.
     */
    public fun restore()

    /**
     * Closes the pool and blocks the calling thread until it has stopped.
     *
     * New submissions fail with [PoolClosedException] from the moment this is called. Queued and
     * running tasks finish first, unless [ProcessPoolConfig.cancelPendingOnClose] is set, in which
     * case they are cancelled. Then every worker is asked to exit and, if it has not exited within
     * [ProcessPoolConfig.shutdownTimeout], killed. Calling `close()` again (or concurrently) waits for
     * the same shutdown and is otherwise harmless.
     */
    override fun close()

    // ---- The Java-facing bridge. Instance methods because Java has no extension functions; each is a
    // ---- default method that delegates to the internal bridge.

    /**
     * Sends [task] to a worker and returns its result as a `CompletableFuture`, for Java callers (from
     * Kotlin prefer [submit]). Never blocks.
     *
     * - **Completion**: the future is completed on a pool-owned thread, never on a thread that reads
     *   from a worker, so dependent stages may block.
     * - **Failure**: the future completes exceptionally with exactly the exception [submit]'s `Deferred`
     *   would fail with (the task's own exception type when it can be rebuilt, else
     *   [RemoteTaskException]; [WorkerCrashedException] on a worker crash), so `get()` throws it wrapped
     *   once in `ExecutionException` and `join()` once in `CompletionException`.
     * - **Cancellation**: `cancel(true)` or `cancel(false)` cancels the remote work exactly as
     *   cancelling the `Deferred` does (a queued task never runs; a running one is cancelled and its
     *   thread interrupted, and its worker is killed after [ProcessPoolConfig.cancelGracePeriod] if it
     *   keeps running). So does any other completion of this future from outside, such as
     *   `orTimeout` or `completeExceptionally`. Cancelling a dependent stage (`thenApply(...)`) does not
     *   cancel this future, as usual with `CompletableFuture`.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws FrameTooLargeException if the encoded task is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submitAsync(task: ProcessTask<R>): CompletableFuture<R> = FutureBridge.toFuture(submit(task))

    /**
     * Sends the Java task [taskClass] with [input] to a worker and returns its output as a
     * `CompletableFuture`: `pool.submitAsync(CountPrimes.class, 1_000_000L)`. Never blocks.
     *
     * The future behaves as the one of [submitAsync] for a [ProcessTask]: an exception thrown by
     * [JavaTask.call], checked or not, completes it exceptionally as itself when it can be rebuilt;
     * `cancel` and `orTimeout` interrupt the remote call.
     *
     * @throws IllegalArgumentException if [taskClass] is abstract, anonymous, local, an inner class, or
     *   has no no-argument constructor.
     * @throws TaskEncodingException if the task's input or output type is not supported (the message
     *   names it and lists the supported types), or [input] cannot be encoded.
     * @throws FrameTooLargeException if the encoded input is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submitAsync(taskClass: Class<out JavaTask<I, O>>, input: I): CompletableFuture<O> =
        FutureBridge.toFuture(submit(taskClass, input))

    /**
     * Runs [task] in a worker and blocks the calling thread until its result arrives, for Java callers
     * that want it synchronously (from coroutines use [run], which suspends instead).
     *
     * Throws what the task threw, not wrapped (rebuilt as its own type when possible, else
     * [RemoteTaskException]), or [WorkerCrashedException] if the worker died, or
     * `java.util.concurrent.CancellationException` if the pool cancelled the task (on close with
     * [ProcessPoolConfig.cancelPendingOnClose]). If the calling thread is interrupted while it waits,
     * the remote run is cancelled as in [submit] and this method throws [InterruptedException].
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     */
    @Throws(Exception::class)
    public fun <R> invoke(task: ProcessTask<R>): R = FutureBridge.await(submit(task))

    /**
     * Runs the Java task [taskClass] with [input] in a worker and blocks until its output arrives, as if
     * `new TaskClass().call(input)` ran here: the exception [JavaTask.call] threw is thrown as itself
     * (checked ones too) when it can be rebuilt. Worker crashes, cancellation, interruption and bad
     * input behave as in the other [invoke] and in [submitAsync].
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be
     *   encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    @Throws(Exception::class)
    public fun <I, O> invoke(taskClass: Class<out JavaTask<I, O>>, input: I): O =
        FutureBridge.await(submit(taskClass, input))

    /** Holds [builder], the Java entry point; Kotlin code uses the `ProcessPool { ... }` function. */
    public companion object {
        /**
         * Starts configuring a pool from Java: `ProcessPool.builder().maxWorkers(3).build()`. See
         * [JavaProcessPoolBuilder] for the settings; no process starts until the pool is built.
         */
        @JvmStatic
        public fun builder(): JavaProcessPoolBuilder = JavaProcessPoolBuilder()
    }
}

/**
 * Creates a [ProcessPool] configured by [configure].
 *
 * ```
 * val pool = ProcessPool { maxWorkers = 3; jvmArgs += "-Xmx256m" }
 * ```
 *
 * No process starts here unless [ProcessPoolBuilder.startEagerly] is set; a JVM shutdown hook stops
 * the workers if the program exits without closing the pool.
 *
 * @throws IllegalArgumentException if a setting is invalid.
 */
public fun ProcessPool(configure: ProcessPoolBuilder.() -> Unit = {}): ProcessPool =
    RealProcessPool(ProcessPoolBuilder().apply(configure).build())
