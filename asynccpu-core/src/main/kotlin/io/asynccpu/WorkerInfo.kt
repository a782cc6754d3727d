package io.asynccpu

/**
 * Identifies one worker process of a pool, for output listeners and diagnostics.
 *
 * @property id the pool-local worker number (1, 2, ...); a replacement worker gets a new number.
 * @property pid the operating-system process id; -1 while the worker's process is not started yet.
 */
public class WorkerInfo internal constructor(public val id: Int, public val pid: Long) {
    override fun toString(): String = "worker-$id(pid=$pid)"
}
