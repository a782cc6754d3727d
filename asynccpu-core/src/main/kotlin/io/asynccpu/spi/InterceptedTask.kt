package io.asynccpu.spi

/**
 * A request a worker is about to run, as a [TaskInterceptor] sees it.
 *
 * [id] is the task id the caller learns with `ProcessPool.withTaskId` and sees in pool events, JFR events and forwarded
 * log records. [context] holds the entries that [PoolExtension.captureContext] captured on the caller's thread when the
 * task was submitted (empty when none did).
 */
public class InterceptedTask
internal constructor(
    /** The pool's id of this request. */
    public val id: Long,
    /** How the pool names the request in messages: "task SumOfSquares", "function cpuBound". */
    public val description: String,
    /** The request context sent by the caller (strings only, bounded; see [PoolExtension.captureContext]). */
    public val context: Map<String, String>,
) {
    override fun toString(): String = "InterceptedTask($id, $description, $context)"
}
