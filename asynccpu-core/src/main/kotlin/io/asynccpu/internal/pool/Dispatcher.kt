package io.asynccpu.internal.pool

import io.asynccpu.PoolEvent
import io.asynccpu.internal.pool.WorkerSlot.Phase
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Messages

/**
 * Hands requests to workers: chooses the worker for the next queued task (least-loaded dispatch, spawning on demand,
 * prefetch) and sends RUN. Called by the [Scheduler] under its lock; holds no state of its own and takes no lock.
 *
 * The order of preference: a worker with a free running slot (the least loaded); else a new worker, if the pool may
 * grow and the workers already starting cannot take the queue; else a worker with room in its prefetch window
 * ([Prefetch]); else none (the task waits in the queue).
 */
internal class Dispatcher(
    private val tasksPerWorker: Int,
    private val maxWorkers: Int,
    private val prefetch: Prefetch,
    private val telemetry: PoolTelemetry,
    private val bus: PoolEvents,
) {
    /**
     * Sends the requests pinned to workers that now take tasks, then queued ones ([pending], in order) while a worker
     * can take them; requests whose caller already gave up are dropped.
     *
     * @param mayGrow whether new workers may be started now (not broken, not closing).
     * @param spawn starts a worker and returns its slot (it takes tasks at once unless it has setup to do).
     */
    fun dispatch(slots: List<WorkerSlot>, pending: ArrayDeque<Request>, mayGrow: Boolean, spawn: () -> WorkerSlot) {
        for (slot in slots) {
            if (!slot.takesTasks) continue
            while (slot.pinned.isNotEmpty()) {
                val request = slot.pinned.removeFirst()
                if (!request.deferred.isCompleted) send(slot, request)
            }
        }
        while (pending.isNotEmpty()) {
            val slot = pick(slots, pending.size, mayGrow, spawn) ?: break
            val request = pending.removeFirst()
            if (request.deferred.isCompleted) continue
            send(slot, request)
        }
    }

    /** The worker for the next of [queued] tasks, or null if it must wait. */
    fun pick(slots: List<WorkerSlot>, queued: Int, mayGrow: Boolean, spawn: () -> WorkerSlot): WorkerSlot? {
        var best: WorkerSlot? = null
        var settingUp = 0
        for (slot in slots) {
            if (!slot.takesTasks) {
                if (slot.phase == Phase.SETTING_UP) settingUp++
                continue
            }
            if (prefetch.belowTaskLimit(slot) && (best == null || slot.inFlight.size < best.inFlight.size)) best = slot
        }
        if (best != null && best.inFlight.size < tasksPerWorker) return best
        if (mayGrow && slots.size < maxWorkers && settingUp * tasksPerWorker < queued) {
            val spawned = spawn()
            if (spawned.takesTasks) return spawned
        }
        if (best != null && best.inFlight.size < prefetch.capacity(best)) return best
        return null
    }

    /** Puts [request] in flight on [slot] and queues its RUN frame (and a streaming request's first credit). */
    fun send(slot: WorkerSlot, request: Request) {
        request.slot = slot
        request.lastSlot = slot
        request.dispatchedAt = System.nanoTime()
        slot.inFlight[request.id] = request
        if (request.kind == Request.Kind.TASK) {
            slot.tasksDispatched++
            telemetry.taskStarted(request, slot)
            bus.emit { PoolEvent.TaskStarted(request.id, request.encoded.description, slot.info) }
        }
        val encoded = request.encoded
        slot.port.send(
            Messages.run(
                request.id,
                request.runHead ?: encoded.header.runHead(),
                encoded.body,
                encoded.segments,
                inlineAnswer = encoded.raw, // a raw caller keeps the result's bytes: they must stand alone
            )
        )
        request.stream?.let { slot.port.send(FlowMessages.credit(request.id, it.window)) }
    }
}
