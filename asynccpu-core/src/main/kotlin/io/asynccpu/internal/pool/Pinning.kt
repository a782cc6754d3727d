package io.asynccpu.internal.pool

import io.asynccpu.internal.codec.EncodedCall

/**
 * Requests bound to one worker: `submitTo` (that live worker only) and broadcasts (one copy per live worker; a sticky
 * one is also remembered as a setup step of every later worker, [WorkerSetup]). A pinned request never moves to another
 * worker: if its worker is gone before answering it, it fails ([CrashSettlement]).
 *
 * A worker that takes tasks gets a pinned request at once. One still setting up holds it: a `submitTo` request in
 * [WorkerSlot.pinned] (the [Dispatcher] sends it once the worker takes tasks), a broadcast copy as its next setup step.
 * Used by the [Scheduler] under its lock; takes no lock.
 *
 * @param watch installs the caller-side reactions (cancellation, events) on a request pinned here.
 */
internal class Pinning(
    private val slots: List<WorkerSlot>,
    private val setup: WorkerSetup,
    private val send: (WorkerSlot, Request) -> Unit,
    private val newRequest: (EncodedCall, Request.Kind) -> Request,
    private val watch: (Request) -> Unit,
) {
    /** The live worker [workerId] (not retiring, discarded or gone), or null. */
    fun target(workerId: Int): WorkerSlot? = slots.firstOrNull { it.id == workerId && it.active }

    /** Binds [request] to [target]: sent now if the worker takes tasks, else held until it does. */
    fun pin(target: WorkerSlot, request: Request) {
        request.pinnedTo = target
        watch(request)
        if (target.takesTasks) send(target, request) else target.pinned.addLast(request)
    }

    /** One copy of [encoded] per live worker (a setup step on those still setting up); [sticky]: later ones too. */
    fun broadcast(encoded: EncodedCall, sticky: Boolean): List<Request> {
        if (sticky) setup.remember(encoded)
        return slots
            .filter { it.active }
            .map { slot ->
                val request = newRequest(encoded, if (slot.takesTasks) Request.Kind.BROADCAST else Request.Kind.SETUP)
                request.pinnedTo = slot
                watch(request)
                if (slot.takesTasks) send(slot, request) else slot.setup.addLast(request)
                request
            }
    }

    /** Takes [request] back if it is pinned and was not sent to its worker yet; true if it was taken back. */
    fun withdraw(request: Request): Boolean {
        val slot = request.pinnedTo ?: return false
        return slot.pinned.remove(request) || slot.setup.remove(request)
    }

    /** Requests held for workers that do not take tasks yet. */
    fun held(): List<Request> = slots.flatMap { it.pinned }

    fun anyHeld(): Boolean = slots.any { it.pinned.isNotEmpty() }
}
