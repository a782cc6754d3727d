package io.asynccpu

import io.asynccpu.future.JavaProcessPoolBuilder
import io.asynccpu.internal.pool.ChildCalls
import io.asynccpu.internal.pool.RealProcessPool
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.withContext

/**
 * A pool of child JVM processes ("workers") that run CPU-bound [ProcessTask]s and top-level functions, and hand their
 * results back as [Deferred] values.
 *
 * ```
 * ProcessPool { maxWorkers = 3 }.use { pool ->
 *     val results = coroutineScope {
 *         (0 until 10).map { pool.async(SumOfSquares(it)) }.awaitAll()   // structured: see [async]
 *     }
 * }
 * ```
 *
 * Three ways to call, as with coroutines: [async] starts a task as a child of the caller's `Job` (cancelled remotely
 * with its scope, like `async { }`); [run] suspends until the result arrives; [submit] starts an unscoped task that
 * runs until it ends or its `Deferred` is cancelled (fire-and-forget, or work that outlives the caller). Function
 * references have the same three forms ([FunctionCalls]); Java callers use the `CompletableFuture` forms of
 * [JavaCalls].
 *
 * Workers run `WorkerMain` with the caller's `java.home` and class path, start on demand (or all at once with
 * [ProcessPoolBuilder.startEagerly]), and are reused for many tasks. Tasks wait in a queue while every worker is busy
 * and go to the least-loaded worker when one frees up.
 *
 * **Guarantees.**
 * - Every submitted task ends exactly once: with its result, its exception, a cancellation, or a
 *   [WorkerCrashedException]. Nothing hangs because a worker died or the pool closed.
 * - A worker that crashes fails only the task(s) it was running; it is replaced, and the task is not retried. Tasks it
 *   had received but not started go back to the queue.
 * - Nothing a task prints (to `System.out`, to file descriptor 1, from native code) can corrupt the channel: results
 *   travel on a separate pipe, and stray output reaches [ProcessPoolBuilder.workerOutput].
 * - Workers exit when the caller's process dies, however it dies.
 *
 * Implementations are thread-safe. Create pools with the `ProcessPool { ... }` function, or from Java with
 * `ProcessPool.builder()`:
 * ```java
 * try (ProcessPool pool = ProcessPool.builder().maxWorkers(3).build()) {
 *     CompletableFuture<String> f = pool.submitAsync(new SumOfSquares(1));          // a Kotlin ProcessTask
 *     CompletableFuture<Long> g = pool.submitAsync(CountPrimes.class, 1_000_000L);  // a JavaTask<Long, Long>
 *     CompletableFuture.allOf(f, g).join();
 * }
 * ```
 */
public interface ProcessPool : FunctionCalls, JavaCalls, AutoCloseable {
    /** The configuration this pool was built with. */
    public val config: ProcessPoolConfig

    /**
     * Sends [task] to a worker and returns its result as a [Deferred]. Never blocks and never suspends: the task is
     * encoded on the calling thread and queued.
     * - **Cancellation**: cancelling the returned `Deferred` removes a queued task (it never runs) or tells the worker
     *   to cancel a running one: its coroutine is cancelled, its thread interrupted and the processes it started
     *   stopped (see [ProcessTask]). A task still running after [ProcessPoolConfig.cancelGracePeriod] has its worker
     *   killed and replaced. The `Deferred` is **not** tied to the caller's `Job`: cancelling the caller
     *   (`withTimeout`, a failing sibling) does not cancel it. Use [async] or [run] for that; keep `submit` for
     *   fire-and-forget work and work that outlives the caller.
     * - **Worker crash**: the `Deferred` fails with [WorkerCrashedException].
     * - **Task failure**: the `Deferred` fails with the task's exception, rebuilt as its own type when the class exists
     *   here, else as [RemoteTaskException].
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws FrameTooLargeException if the encoded task is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submit(task: ProcessTask<R>): Deferred<R>

    /**
     * Runs [task] in a worker and suspends until its result arrives.
     *
     * This suspending function is cancellable: if the calling coroutine is cancelled (for example by `withTimeout`),
     * the remote run is cancelled as described in [submit] and this function throws
     * [kotlinx.coroutines.CancellationException]. Exceptions are those of [submit], thrown directly.
     */
    @JvmSynthetic public suspend fun <R> run(task: ProcessTask<R>): R = ChildCalls.awaitCancelling(submit(task))

    /**
     * Starts [task] in a worker as a **child of the caller's `Job`** and returns its result as a `Deferred`, the
     * structured counterpart of [submit] (as `async { }` is of `GlobalScope.async`):
     * ```
     * val results = withTimeout(10.seconds) {
     *     (1..3).map { pool.async(LongTask(it)) }.awaitAll()
     * }
     * ```
     * - **Cancellation**: when the caller's scope is cancelled (`withTimeout` fires, the caller is cancelled, a sibling
     *   fails), the task is cancelled in its worker as when its `Deferred` is cancelled ([submit]); a worker still
     *   running it after [ProcessPoolConfig.cancelGracePeriod] is killed and replaced. `coroutineScope { }` waits for
     *   it like any child.
     * - **Task failure and worker crash**: the `Deferred` fails as [submit]'s does, and, as with a failing `async`
     *   child, the failure cancels the caller's scope and so the task's siblings.
     * - Called where the context has no `Job`, it behaves as [submit].
     *
     * This function suspends only to read the caller's `Job`; it never waits for a worker.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws FrameTooLargeException if the encoded task is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    @JvmSynthetic public suspend fun <R> async(task: ProcessTask<R>): Deferred<R> = ChildCalls.adopt(submit(task))

    /**
     * Starts the Java task [taskClass] with [input] as a child of the caller's `Job`: the structured form of the
     * Java-task [submit], behaving as the task [async] on cancellation, failure and crash.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    @JvmSynthetic
    public suspend fun <I, O> async(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O> =
        ChildCalls.adopt(submit(taskClass, input))

    /**
     * Runs the Java task [taskClass] with [input] in a worker and suspends until its output arrives, as the task [run]:
     * cancelling the caller interrupts the remote call.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    @JvmSynthetic
    public suspend fun <I, O> run(taskClass: Class<out JavaTask<I, O>>, input: I): O =
        ChildCalls.awaitCancelling(submit(taskClass, input))

    /**
     * Sends the Java task [taskClass] with [input] to a worker and returns its output as a [Deferred]; the worker
     * creates an instance with the no-argument constructor and calls [JavaTask.call]. Never blocks: the input is
     * encoded on the calling thread and queued. Java callers use [submitAsync] instead.
     *
     * Cancellation, crashes and failures behave as in [submit] (for a task written in Java, cancellation interrupts the
     * thread running [JavaTask.call]).
     *
     * @throws IllegalArgumentException if [taskClass] is abstract, anonymous, local, an inner class, or has no
     *   no-argument constructor.
     * @throws TaskEncodingException if the task's input or output type is not one of the supported types (listed on
     *   [JavaTask]), or [input] cannot be encoded; the message names the type.
     * @throws FrameTooLargeException if the encoded input is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submit(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O>

    /**
     * Sends [task] to a worker like [submit], and also returns the progress reports the task sends with
     * [reportProgress] while it runs. Never blocks.
     *
     * The [TrackedTask.result] behaves exactly as [submit]'s `Deferred` on cancellation, worker crash and task failure;
     * [TrackedTask.progress] completes when the task ends, however it ends.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken (see [restore]).
     */
    public fun <R> submitWithProgress(task: ProcessTask<R>): TrackedTask<R>

    /**
     * Sends the Java task [taskClass] with [input] like the Java-task [submit], and also returns the progress reports
     * it sends with [JavaTask.reportProgress]; otherwise as the task form above.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submitWithProgress(taskClass: Class<out JavaTask<I, O>>, input: I): TrackedTask<O>

    /**
     * Runs [task] in the worker [worker] (from [workerReports]) and nowhere else, for tasks that read or change that
     * worker's [WorkerState]. Never blocks. The task waits until the worker is ready and runs after the requests the
     * worker already holds.
     *
     * Cancellation and task failure behave as in [submit]. If the worker crashes before or while running it, the
     * `Deferred` fails with [WorkerCrashedException]: it is never moved to another worker.
     *
     * @throws NoSuchElementException if [worker] is not a live worker of this pool (it retired or crashed).
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken.
     */
    public fun <R> submitTo(worker: WorkerInfo, task: ProcessTask<R>): Deferred<R>

    /**
     * Runs [task] once in every worker that is alive now (including those still starting), and suspends until each has
     * answered; returns their results in no particular order. With [toLaterWorkers] (the default) the task is also
     * remembered and run once, before their first task, in every worker started later (after idle retirement,
     * recycling, a crash, or growth on demand), so that per-worker state it sets up ([WorkerState]) is there for every
     * task. Each worker runs it exactly once. A pool with no live worker returns an empty list (and, with
     * [toLaterWorkers], sets up the workers as they start).
     *
     * In a worker already serving, it runs after the requests that worker holds; with `tasksPerWorker > 1` it may run
     * beside other tasks. In a worker that is starting, it runs during setup: if it fails there, the worker is
     * discarded as for a failing initializer.
     *
     * This suspending function is cancellable: cancelling the caller cancels the copies not finished (the registration
     * for later workers stays).
     *
     * @throws WorkerCrashedException if a worker died before answering.
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     * @throws BrokenPoolException if the pool is broken. Any exception the task threw in a worker is thrown as in
     *   [run].
     */
    @JvmSynthetic public suspend fun <R> broadcast(task: ProcessTask<R>, toLaterWorkers: Boolean = true): List<R>

    /**
     * Runs the streaming [task] in a worker and returns its values as a cold `Flow`: each collection sends the task
     * again. The worker sends at most [buffer] values ahead of the collector (credit granted as the collector
     * consumes), so a slow collector suspends the task's `emit` in the worker.
     * - **Cancellation**: when the collector stops early (cancelled, `take(n)`, an exception downstream), the worker is
     *   told to cancel the task's flow; one ignoring that past [ProcessPoolConfig.cancelGracePeriod] is killed and
     *   replaced.
     * - **Failure**: `collect` throws the exception the flow threw in the worker, after the values emitted before it.
     * - **Worker crash**: `collect` throws [WorkerCrashedException] after the values already received.
     *
     * @throws IllegalArgumentException if [buffer] is below 1.
     * @throws TaskEncodingException if the task or its item type cannot be serialized (at once), or an item cannot be
     *   encoded (from `collect`).
     * @throws PoolClosedException if the pool is closed (at once, or from `collect` if closed since).
     */
    public fun <T> stream(task: StreamingTask<T>, buffer: Int = 64): Flow<T>

    // ---- Management and introspection ----

    /**
     * Events for monitoring: workers started, retired and crashed; tasks queued, started and finished with their queued
     * and running times. A hot `SharedFlow` without replay: any number of collectors each see the events emitted after
     * they subscribed, and collecting never completes (cancel the collector). Emitting never blocks the pool: a
     * collector that falls more than 4096 events behind loses the oldest ones. Java callers use
     * [JavaCalls.addEventListener] or [JavaCalls.eventPublisher].
     */
    public val events: SharedFlow<PoolEvent>

    /** The current counts of workers (starting, busy, idle) and tasks (pending, running). Never blocks for long. */
    public fun stats(): PoolStats

    /**
     * A resource report for each live worker: pid, tasks done, CPU time and resident memory (read from the operating
     * system now, so it works for busy workers too).
     */
    public fun workerReports(): List<WorkerReport>

    /**
     * Starts workers until [workers] of them (at most [ProcessPoolConfig.maxWorkers]) are alive, and suspends until
     * they are ready: JVM up, initializer and sticky broadcasts done. Workers already alive count. Idle warmed-up
     * workers are still retired after [ProcessPoolConfig.idleTimeout].
     *
     * This suspending function is cancellable; cancelling it does not stop the workers it started.
     *
     * @throws WorkerCrashedException if one of them died while starting.
     * @throws BrokenPoolException if the pool is (or became) broken; an initializer's own exception if it failed in one
     *   of them.
     * @throws PoolClosedException if the pool is closed.
     */
    @JvmSynthetic public suspend fun warmUp(workers: Int = config.maxWorkers)

    /**
     * Returns normally if the pool accepts tasks.
     *
     * @throws PoolClosedException if it is closed.
     * @throws BrokenPoolException if it is broken (workers kept failing to start); see [restore].
     */
    public fun check()

    /**
     * Starts a throw-away worker with this pool's configuration (JVM options, class path, initializer), runs a probe
     * task in it and stops it, surfacing configuration errors before real work is submitted. The pool itself is not
     * touched.
     *
     * This suspending function is cancellable: cancelling it stops the probe worker.
     *
     * @throws BrokenPoolException if the worker could not start or its initializer failed (the cause says why: the
     *   initializer's exception, or a [WorkerCrashedException] with the JVM's output).
     * @throws PoolClosedException if the pool is closed.
     */
    @JvmSynthetic public suspend fun test()

    /**
     * Makes a broken pool usable again: forgets the start failures, so later submissions start new workers (with the
     * same configuration: fix what made them fail first, e.g. the data an initializer reads). Tasks that failed with
     * [BrokenPoolException] are not resubmitted. No effect on a healthy pool.
     *
     * @throws PoolClosedException if the pool is closed.
     */
    public fun restore()

    /**
     * Closes the pool and blocks the calling thread until it has stopped.
     *
     * New submissions fail with [PoolClosedException] from the moment this is called. Queued and running tasks finish
     * first, unless [ProcessPoolConfig.cancelPendingOnClose] is set, in which case they are cancelled. Then every
     * worker is asked to exit and, if it has not exited within [ProcessPoolConfig.shutdownTimeout], killed. Calling
     * `close()` again (or concurrently) waits for the same shutdown and is otherwise harmless.
     */
    override fun close()

    /**
     * Shuts the pool down gracefully, as [close] does, but suspends instead of blocking the calling thread: new
     * submissions fail with [PoolClosedException] at once, queued and running tasks finish (or are cancelled when
     * [ProcessPoolConfig.cancelPendingOnClose] is set), then the workers are asked to exit and killed after
     * [ProcessPoolConfig.shutdownTimeout].
     *
     * This suspending function is cancellable: cancelling the caller stops the waiting, not the shutdown, which goes on
     * in the background (a later [close] or `shutdown()` waits for it).
     */
    @JvmSynthetic public suspend fun shutdown(): Unit = withContext(Dispatchers.IO) { close() }

    /**
     * Shuts the pool down now: new submissions fail with [PoolClosedException], queued tasks are cancelled (they never
     * run), running tasks are cancelled in their workers (coroutine cancelled, thread interrupted), and every worker
     * still alive when [ProcessPoolConfig.cancelGracePeriod] has passed since the call is killed. Returns once every
     * worker has exited: within the grace period, plus the moment it takes to reap killed processes. The `Deferred`s of
     * the cancelled tasks are cancelled; finalizers run only in workers that exit within the grace period.
     *
     * This suspending function is cancellable as [shutdown] is: the shutdown goes on without the caller.
     */
    @JvmSynthetic public suspend fun shutdownNow(): Unit = withContext(Dispatchers.IO) { close() }

    /** Holds [builder], the Java entry point; Kotlin code uses the `ProcessPool { ... }` function. */
    public companion object {
        /**
         * Starts configuring a pool from Java: `ProcessPool.builder().maxWorkers(3).build()`. See
         * [JavaProcessPoolBuilder] for the settings; no process starts until the pool is built.
         */
        @JvmStatic public fun builder(): JavaProcessPoolBuilder = JavaProcessPoolBuilder()
    }
}

/**
 * Creates a [ProcessPool] configured by [configure].
 *
 * ```
 * val pool = ProcessPool { maxWorkers = 3; jvmArgs += "-Xmx256m" }
 * ```
 *
 * No process starts here unless [ProcessPoolBuilder.startEagerly] is set; a JVM shutdown hook stops the workers if the
 * program exits without closing the pool.
 *
 * @throws IllegalArgumentException if a setting is invalid.
 */
@JvmSynthetic // Java builds pools with ProcessPool.builder()
public fun ProcessPool(configure: ProcessPoolBuilder.() -> Unit = {}): ProcessPool =
    RealProcessPool(ProcessPoolBuilder().apply(configure).build())
