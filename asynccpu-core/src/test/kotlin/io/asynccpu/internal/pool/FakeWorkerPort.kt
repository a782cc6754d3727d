package io.asynccpu.internal.pool

import io.asynccpu.WorkerInfo
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.Protocol

/** A worker without a process, for `SchedulerTest`: it records what the scheduler asked of it. */
internal class FakeWorkerPort(val slot: WorkerSlot) : WorkerPort {
    override val info: WorkerInfo = WorkerInfo(slot.id, 1_000L + slot.id)

    val frames = ArrayList<Frame>()
    var shutdowns = 0
    val kills = ArrayList<String>()

    /** Ids of the RUN frames sent, in order. */
    val runs: List<Long>
        get() = frames.filter { it.type == Protocol.TYPE_RUN }.map { it.id }

    override fun send(frame: Frame) {
        frames += frame
    }

    override fun shutdown() {
        shutdowns++
    }

    override fun kill(reason: String) {
        kills += reason
    }
}
