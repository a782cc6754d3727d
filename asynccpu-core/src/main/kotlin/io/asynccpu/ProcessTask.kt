package io.asynccpu

/**
 * A unit of CPU-bound work that runs in a worker process of a [ProcessPool].
 *
 * Implement it with a `@Serializable` class: the class's properties are the task's arguments, and the result type [R]
 * is read from the class's declared type argument, so `ProcessTask<List<Point>>` needs no extra declaration as long as
 * `Point` is `@Serializable`.
 *
 * ```
 * @Serializable
 * class SumOfSquares(val n: Long) : ProcessTask<Long> {
 *     override suspend fun run(): Long = (0 until n).sumOf { it * it }
 * }
 * ```
 *
 * The task object is encoded with CBOR in the caller's process, decoded in a worker JVM that has the same classpath,
 * and [run] is called there on the worker's own coroutine dispatcher.
 * - **Cancellation**: when the caller cancels, the worker cancels the coroutine running [run] and interrupts its
 *   thread. The processes the task started (`ProcessBuilder.start` on a thread its coroutine ran on, found through
 *   `/proc` on Linux) are killed with their descendants, so a task waiting on one ends; a task that ends normally
 *   leaves them running. A task that ignores all this past the pool's grace period has its worker killed and replaced.
 * - **Worker crash**: if the worker dies while [run] executes, the caller gets a [WorkerCrashedException]; the task is
 *   not retried.
 * - **Bad input**: a class that is not `@Serializable`, or whose result type cannot be serialized, is refused at
 *   submission with a [TaskEncodingException]. Only classes implementing this interface are ever instantiated from the
 *   bytes a worker receives.
 */
public interface ProcessTask<out R> {
    /**
     * Runs the task in the worker process and returns its result, which travels back to the caller. An exception thrown
     * here reaches the caller as itself (when the class exists on the caller's classpath and can be rebuilt) or as a
     * [RemoteTaskException].
     */
    public suspend fun run(): R
}
