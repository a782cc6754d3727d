package io.asynccpu

import io.asynccpu.internal.pool.RealProcessPool
import kotlinx.coroutines.Deferred
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
 * Implementations are thread-safe. Create pools with the `ProcessPool { ... }` function.
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
     * Closes the pool and blocks the calling thread until it has stopped.
     *
     * New submissions fail with [PoolClosedException] from the moment this is called. Queued and
     * running tasks finish first, unless [ProcessPoolConfig.cancelPendingOnClose] is set, in which
     * case they are cancelled. Then every worker is asked to exit and, if it has not exited within
     * [ProcessPoolConfig.shutdownTimeout], killed. Calling `close()` again (or concurrently) waits for
     * the same shutdown and is otherwise harmless.
     */
    override fun close()
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
