package io.asynccpu

import io.asynccpu.internal.future.FlowPublisher
import io.asynccpu.internal.future.FutureBridge
import io.asynccpu.internal.future.JavaMapStream
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer
import java.util.stream.Stream

/**
 * The Java-shaped half of [ProcessPool]: every feature as a `CompletableFuture`, a lazy `java.util.stream.Stream`, a
 * `java.util.concurrent.Flow.Publisher` or a listener, with no Kotlin types (`Continuation`, `Function1`, `Unit`) to
 * handle. Kotlin callers use the suspending and `Flow` members of [ProcessPool] instead.
 *
 * ```java
 * try (ProcessPool pool = ProcessPool.builder().maxWorkers(3).build()) {
 *     pool.warmUpAsync().join();
 *     CompletableFuture<Long> primes = pool.submitAsync(CountPrimes.class, 1_000_000L);
 *     try (Stream<Long> squares = pool.map(Square.class, List.of(1L, 2L, 3L))) {
 *         squares.forEach(System.out::println);
 *     }
 * }
 * ```
 *
 * Every future here is completed on a pool-owned thread, never on a thread that reads from a worker, so dependent
 * stages may block. **Cancellation** runs the other way too: `cancel(true)`, `orTimeout` or any outside completion of a
 * returned future cancels the remote work, exactly as cancelling the Kotlin `Deferred` does (a queued task never runs;
 * a running one is cancelled, its thread interrupted and the processes it started stopped, and its worker is killed
 * after [ProcessPoolConfig.cancelGracePeriod] if it keeps running). **Failures** complete the future exceptionally with
 * the exception the Kotlin form throws (the task's own type when it can be rebuilt, else [RemoteTaskException];
 * [WorkerCrashedException] when the worker died), so `get()` wraps it once in `ExecutionException` and `join()` in
 * `CompletionException`. **Bad input** throws at the call, as in the Kotlin forms.
 */
public interface JavaCalls {
    /**
     * Sends [task] to a worker and returns its result as a `CompletableFuture` (see the class notes on completion,
     * cancellation and failure). Never blocks.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws FrameTooLargeException if the encoded task is larger than `maxFrameSize`.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submitAsync(task: ProcessTask<R>): CompletableFuture<R> = FutureBridge.toFuture(pool.submit(task))

    /**
     * Sends the Java task [taskClass] with [input] to a worker: `pool.submitAsync(CountPrimes.class, 1_000_000L)`. An
     * exception thrown by [JavaTask.call], checked or not, completes the future exceptionally as itself when it can be
     * rebuilt. Never blocks.
     *
     * @throws IllegalArgumentException if [taskClass] is abstract, anonymous, local, an inner class, or has no
     *   no-argument constructor.
     * @throws TaskEncodingException if the input or output type is not supported (the message names it and lists the
     *   supported types), or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submitAsync(taskClass: Class<out JavaTask<I, O>>, input: I): CompletableFuture<O> =
        FutureBridge.toFuture(pool.submit(taskClass, input))

    /**
     * Runs [task] in a worker and blocks until its result arrives. Throws what the task threw, not wrapped, or
     * [WorkerCrashedException], or `java.util.concurrent.CancellationException` if the pool cancelled the task. If the
     * waiting thread is interrupted, the remote run is cancelled and this throws [InterruptedException].
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     */
    @Throws(Exception::class) public fun <R> invoke(task: ProcessTask<R>): R = FutureBridge.await(pool.submit(task))

    /**
     * Runs the Java task [taskClass] with [input] and blocks until its output arrives, as if `new
     * TaskClass().call(input)` ran here; otherwise as the other [invoke].
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    @Throws(Exception::class)
    public fun <I, O> invoke(taskClass: Class<out JavaTask<I, O>>, input: I): O =
        FutureBridge.await(pool.submit(taskClass, input))

    /**
     * Sends the Java task [taskClass] with [input] and hands each progress report it makes with
     * [JavaTask.reportProgress] to [listener], in the order the task made them, on a pool-owned thread (a slow listener
     * sees only the latest reports). The listener is called for the last time before the returned future completes.
     * Otherwise as [submitAsync].
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws TaskEncodingException if the input or output type is not supported, or [input] cannot be encoded.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <I, O> submitWithProgressAsync(
        taskClass: Class<out JavaTask<I, O>>,
        input: I,
        listener: Consumer<Progress>,
    ): CompletableFuture<O> = FutureBridge.withProgress(pool.submitWithProgress(taskClass, input), listener)

    /**
     * Sends the Kotlin [task] and hands its progress reports to [listener], as the Java-task [submitWithProgressAsync]
     * does.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submitWithProgressAsync(task: ProcessTask<R>, listener: Consumer<Progress>): CompletableFuture<R> =
        FutureBridge.withProgress(pool.submitWithProgress(task), listener)

    /**
     * Runs [task] in the worker [worker] (from [ProcessPool.workerReports]) and nowhere else, as
     * [ProcessPool.submitTo]; if that worker crashes the future fails with [WorkerCrashedException].
     *
     * @throws NoSuchElementException if [worker] is not a live worker of this pool.
     * @throws TaskEncodingException if the task or its result type cannot be serialized.
     * @throws PoolClosedException if the pool is closed.
     */
    public fun <R> submitToAsync(worker: WorkerInfo, task: ProcessTask<R>): CompletableFuture<R> =
        FutureBridge.toFuture(pool.submitTo(worker, task))

    /**
     * Runs [task] once in every live worker and, when [toLaterWorkers], in every worker started later (see
     * [ProcessPool.broadcast]); the future completes with their results in no particular order. Cancelling it cancels
     * the copies not finished; the registration for later workers stays.
     *
     * @throws TaskEncodingException if the task or its result type cannot be serialized (from the future).
     */
    public fun <R> broadcastAsync(task: ProcessTask<R>, toLaterWorkers: Boolean): CompletableFuture<List<R>> =
        FutureBridge.future { pool.broadcast(task, toLaterWorkers) }

    /** [broadcastAsync] that also sets up every worker started later. */
    public fun <R> broadcastAsync(task: ProcessTask<R>): CompletableFuture<List<R>> = broadcastAsync(task, true)

    /**
     * Starts workers until [workers] of them (at most `maxWorkers`) are alive and completes when they are ready, as
     * [ProcessPool.warmUp]. Cancelling the future stops the waiting, not the workers.
     */
    public fun warmUpAsync(workers: Int): CompletableFuture<Void?> =
        FutureBridge.future {
            pool.warmUp(workers)
            null
        }

    /** [warmUpAsync] for `maxWorkers` workers. */
    public fun warmUpAsync(): CompletableFuture<Void?> =
        FutureBridge.future {
            pool.warmUp(pool.config.maxWorkers)
            null
        }

    /**
     * Starts a throw-away worker with this pool's configuration, runs a probe task in it and stops it, as
     * [ProcessPool.test]: the future fails with [BrokenPoolException] when the configuration is wrong. Cancelling the
     * future stops the probe worker.
     */
    public fun testAsync(): CompletableFuture<Void?> =
        FutureBridge.future {
            pool.test()
            null
        }

    /**
     * Shuts the pool down gracefully without blocking the calling thread, as [ProcessPool.shutdown]; the future
     * completes when every worker has stopped. Cancelling it does not stop the shutdown.
     */
    public fun shutdownAsync(): CompletableFuture<Void?> =
        FutureBridge.future {
            pool.shutdown()
            null
        }

    /**
     * Cancels queued and running tasks and stops every worker within the cancel grace period, as
     * [ProcessPool.shutdownNow]; the future completes when every worker has exited.
     */
    public fun shutdownNowAsync(): CompletableFuture<Void?> =
        FutureBridge.future {
            pool.shutdownNow()
            null
        }

    /**
     * Applies the Java task [taskClass] to every element of [inputs] in the workers and returns the outputs as a lazy,
     * sequential `Stream`, [chunkSize] elements per request, at most [buffer] chunks in flight (the input is read only
     * as fast as the stream is consumed), in input order when [ordered], else as chunks finish. Nothing is sent before
     * the stream's first element is asked for.
     * - **Close the stream** (try-with-resources): closing it, or a short-circuiting operation such as `limit` followed
     *   by close, cancels the chunks in flight in the workers.
     * - **Failure**: the stream yields the outputs before the failing element, then throws its exception (rebuilt as
     *   its own type when possible, unchecked ones as themselves, checked ones wrapped in
     *   `java.util.concurrent.CompletionException`); [WorkerCrashedException] on a crash.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated, or [chunkSize] or [buffer] is below 1.
     * @throws TaskEncodingException if the input or output type is not supported.
     */
    public fun <I, O> map(
        taskClass: Class<out JavaTask<I, O>>,
        inputs: Iterable<I>,
        chunkSize: Int,
        buffer: Int,
        ordered: Boolean,
    ): Stream<O> = JavaMapStream.create(pool, taskClass, inputs.iterator(), chunkSize, buffer, ordered)

    /** [map] over an `Iterator`, read lazily as chunks are needed (it may be unbounded). */
    public fun <I, O> map(
        taskClass: Class<out JavaTask<I, O>>,
        inputs: Iterator<I>,
        chunkSize: Int,
        buffer: Int,
        ordered: Boolean,
    ): Stream<O> = JavaMapStream.create(pool, taskClass, inputs, chunkSize, buffer, ordered)

    /** [map] in input order, one element per request, at most `2 × maxWorkers × tasksPerWorker` in flight. */
    public fun <I, O> map(taskClass: Class<out JavaTask<I, O>>, inputs: Iterable<I>): Stream<O> =
        map(taskClass, inputs, 1, 2 * pool.config.maxWorkers * pool.config.tasksPerWorker, true)

    /**
     * Runs the streaming [task] in a worker for each subscriber and publishes its values with back-pressure: the worker
     * runs at most [buffer] values ahead of what the subscriber requested (then its `emit` suspends).
     * `Subscription.cancel()` cancels the task's flow in the worker. Failures arrive as `onError` after the values
     * emitted before them; a crash as `onError` with [WorkerCrashedException]. Signals are delivered on pool-owned
     * threads, one at a time.
     *
     * @throws IllegalArgumentException if [buffer] is below 1.
     * @throws TaskEncodingException if the task or its item type cannot be serialized.
     */
    public fun <T> streamPublisher(task: StreamingTask<T>, buffer: Int): java.util.concurrent.Flow.Publisher<T> =
        FlowPublisher(pool.stream(task, buffer))

    /** [streamPublisher] with a buffer of 64 values. */
    public fun <T> streamPublisher(task: StreamingTask<T>): java.util.concurrent.Flow.Publisher<T> =
        streamPublisher(task, 64)

    /**
     * The pool's events (see [ProcessPool.events]) as a `Flow.Publisher`: each subscriber sees the events emitted after
     * it subscribed, as far as it requested them; the publisher never completes. A subscriber that requests too slowly
     * loses the oldest events (the pool never waits for it).
     */
    public fun eventPublisher(): java.util.concurrent.Flow.Publisher<PoolEvent> = FlowPublisher(pool.events)

    /**
     * Calls [listener] with each pool event from now on (see [ProcessPool.events]), on one pool-owned thread, in order.
     * Close the returned handle to stop. An exception from the listener stops the listening and is printed to
     * `System.err`; a slow listener loses the oldest events.
     */
    public fun addEventListener(listener: Consumer<PoolEvent>): AutoCloseable =
        FlowPublisher.listen(pool.events, listener)

    private val pool: ProcessPool
        get() = this as ProcessPool
}
