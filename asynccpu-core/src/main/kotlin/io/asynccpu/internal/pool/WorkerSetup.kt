package io.asynccpu.internal.pool

import io.asynccpu.internal.codec.EncodedCall

/**
 * A new worker's setup: the pool's initializer, then every sticky broadcast so far (those sent with `toLaterWorkers`),
 * run one at a time before the worker takes tasks. Used by the [Scheduler] under its lock; it decides what happens when
 * a step answers (next step, ready, or discard the worker).
 */
internal class WorkerSetup(private val initializer: EncodedCall?) {
    /** Broadcasts replayed as setup steps in every worker spawned later. */
    private val sticky = ArrayList<EncodedCall>()

    fun remember(broadcast: EncodedCall) {
        sticky += broadcast
    }

    /** Queues the setup steps of the new worker [slot]; returns whether it has any. */
    fun plan(slot: WorkerSlot, newRequest: (EncodedCall) -> Request): Boolean {
        initializer?.let { slot.setup.addLast(newRequest(it)) }
        sticky.forEach { slot.setup.addLast(newRequest(it)) }
        return slot.setup.isNotEmpty()
    }

    /** Sends [slot]'s next setup step; [answered] hears its outcome (on the thread that completes it). */
    fun sendNext(
        slot: WorkerSlot,
        send: (WorkerSlot, Request) -> Unit,
        answered: (WorkerSlot, Request, Throwable?) -> Unit,
    ) {
        val request = slot.setup.removeFirst()
        request.pinnedTo = slot
        request.deferred.invokeOnCompletion { cause -> answered(slot, request, cause) }
        send(slot, request)
    }
}
