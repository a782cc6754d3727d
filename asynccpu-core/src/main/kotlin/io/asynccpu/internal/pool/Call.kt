package io.asynccpu.internal.pool

import io.asynccpu.internal.codec.EncodedCall
import kotlinx.coroutines.CompletableDeferred

/** One submitted task or function call, from submission until it is answered exactly once. */
internal class Call(
    val id: Long,
    val encoded: EncodedCall,
) {
    val deferred: CompletableDeferred<Any?> = CompletableDeferred()

    /** The worker it was sent to; null while queued. Guarded by the pool's lock. */
    var worker: WorkerHandle? = null

    /** Whether CANCEL was sent for it. Guarded by the pool's lock. */
    var cancelSent: Boolean = false

    override fun toString(): String = "Call($id, ${encoded.description})"
}
