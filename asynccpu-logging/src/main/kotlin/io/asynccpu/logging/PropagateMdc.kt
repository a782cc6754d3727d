@file:JvmName("MdcPropagation")

package io.asynccpu.logging

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.logging.internal.MdcPropagationExtension
import java.util.WeakHashMap

private val propagations = WeakHashMap<ProcessPoolBuilder, MdcPropagationExtension>()

/**
 * Carries the SLF4J MDC entries named in [keys] from the caller to the workers: each submission copies those entries of
 * the submitting thread's MDC into the request, and while the task runs in the worker they are in the worker's MDC (on
 * whichever thread the task's coroutine runs, also after it suspends and resumes), so the task's log lines and the
 * records [forwardLogs] brings back carry them. Tasks running at the same time on one worker each see their own values.
 *
 * ```
 * ProcessPool {
 *     forwardLogs { }
 *     propagateMdc("requestId", "user")
 * }
 * MDC.put("requestId", "r-42")
 * pool.submit(Resize(image))  // the task's records carry requestId=r-42
 * ```
 *
 * Only keys in this allow-list travel, never the whole MDC. A key the caller's MDC does not have is left out. Values
 * are bounded (see `PoolExtension.captureContext`: 1024 characters, 32 entries per request); a longer one is dropped
 * with a one-time warning, never failing the submission. Calling this again adds keys. From Java: `.configure(b ->
 * MdcPropagation.propagateMdc(b, "requestId"))`.
 *
 * The submitting thread's MDC is read when `submit` is called: in coroutines, use kotlinx-coroutines' `MDCContext` (or
 * set the MDC on the thread that submits).
 *
 * @throws IllegalArgumentException if a key is blank.
 */
public fun ProcessPoolBuilder.propagateMdc(vararg keys: String) {
    require(keys.none { it.isBlank() }) { "MDC keys must not be blank: ${keys.toList()}" }
    synchronized(propagations) {
        val extension = propagations.getOrPut(this) { MdcPropagationExtension().also { install(it) } }
        extension.add(keys.toList())
    }
}
