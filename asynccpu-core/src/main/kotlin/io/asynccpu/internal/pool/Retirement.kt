package io.asynccpu.internal.pool

import io.asynccpu.PoolEvent
import io.asynccpu.ProcessTask
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.TaskCodec
import java.lang.ref.WeakReference
import kotlinx.coroutines.CancellationException

/**
 * Graceful ends of workers: recycling after `maxTasksPerWorker`, the idle sweep, and retiring itself (no new requests,
 * the finalizer if the worker served, then SHUTDOWN so it exits after its running requests). Used by the [Scheduler]
 * under its lock, except [scheduleIdleSweep].
 */
internal class Retirement(
    finalizer: ProcessTask<*>?,
    private val bus: PoolEvents,
    private val telemetry: PoolTelemetry,
    private val prefetch: Prefetch,
    private val send: (WorkerSlot, Request) -> Unit,
    private val newRequest: (EncodedCall, Request.Kind) -> Request,
) {
    private val finalizer: EncodedCall? = finalizer?.let { TaskCodec.encodeTask(it) }

    /** Asks [slot]'s worker to exit gracefully; a no-op for a worker already retiring, discarded or gone. */
    fun retire(slot: WorkerSlot, reason: PoolEvent.WorkerRetired.Reason) {
        if (!slot.active) return
        val served = slot.phase == WorkerSlot.Phase.READY
        slot.phase = WorkerSlot.Phase.RETIRING
        telemetry.workerRetired(reason)
        bus.emit { PoolEvent.WorkerRetired(slot.info, reason) }
        if (finalizer != null && served) {
            val request = newRequest(finalizer, Request.Kind.FINALIZER)
            request.pinnedTo = slot
            request.deferred.invokeOnCompletion { cause ->
                if (cause != null && cause !is CancellationException) {
                    System.err.println("asynccpu: the finalizer failed in ${slot.info}: $cause")
                }
            }
            send(slot, request)
        }
        slot.port.shutdown()
    }

    /** [slot] has nothing in flight any more: its idle clock starts, and it retires if it is due for recycling. */
    fun becameIdle(slot: WorkerSlot) {
        slot.idleSince = System.nanoTime()
        if (slot.takesTasks && recycleDue(slot)) retire(slot, PoolEvent.WorkerRetired.Reason.RECYCLED)
    }

    /** Whether [slot], having nothing in flight, ran all it may run under `maxTasksPerWorker`. */
    private fun recycleDue(slot: WorkerSlot): Boolean = !prefetch.belowTaskLimit(slot) && slot.pinned.isEmpty()

    /**
     * Retires the workers idle for at least [timeoutNanos], oldest first in pool order, leaving [minWorkers] live ones.
     */
    fun retireIdle(slots: List<WorkerSlot>, minWorkers: Int, timeoutNanos: Long) {
        idleOnes(slots, minWorkers, timeoutNanos).forEach { retire(it, PoolEvent.WorkerRetired.Reason.IDLE) }
    }

    private fun idleOnes(slots: List<WorkerSlot>, minWorkers: Int, timeoutNanos: Long): List<WorkerSlot> {
        val now = System.nanoTime()
        var active = slots.count { it.active }
        val due = ArrayList<WorkerSlot>()
        for (slot in slots) {
            if (active <= minWorkers) break
            if (slot.idle && now - slot.idleSince >= timeoutNanos) {
                due += slot
                active--
            }
        }
        return due
    }

    companion object {
        private const val MIN_SWEEP_MILLIS = 10L
        private const val MAX_SWEEP_MILLIS = 1_000L

        /** Runs [Scheduler.retireIdle] every quarter of [idleTimeoutMillis] until the pool closes or is collected. */
        fun scheduleIdleSweep(scheduler: WeakReference<Scheduler>, idleTimeoutMillis: Long) {
            val period = (idleTimeoutMillis / 4).coerceIn(MIN_SWEEP_MILLIS, MAX_SWEEP_MILLIS)
            Timers.schedule(period) {
                val self = scheduler.get()
                if (self != null && !self.closing) {
                    self.retireIdle()
                    scheduleIdleSweep(scheduler, idleTimeoutMillis)
                }
            }
        }
    }
}
