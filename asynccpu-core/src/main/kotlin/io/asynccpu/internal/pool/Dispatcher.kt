package io.asynccpu.internal.pool

import io.asynccpu.internal.pool.WorkerSlot.Phase

/**
 * Chooses the worker for the next queued task: least-loaded dispatch, spawning on demand, prefetch.
 * Called by the [Scheduler] under its lock; holds no state of its own.
 *
 * The order of preference: a worker with a free running slot (the least loaded); else a new worker,
 * if the pool may grow and the workers already starting cannot take the queue; else a worker with
 * room in its prefetch window ([Prefetch]); else none (the task waits in the queue).
 */
internal class Dispatcher(
    private val tasksPerWorker: Int,
    private val maxWorkers: Int,
    private val prefetch: Prefetch,
) {
    /**
     * @param mayGrow whether new workers may be started now (not broken, not closing).
     * @param spawn starts a worker and returns its slot (it takes tasks at once unless it has setup to do).
     */
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
}
