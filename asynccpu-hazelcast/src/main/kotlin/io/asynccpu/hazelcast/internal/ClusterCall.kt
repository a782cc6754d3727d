package io.asynccpu.hazelcast.internal

import com.hazelcast.cluster.Member
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.spi.EncodedTask
import java.util.concurrent.Future
import kotlinx.coroutines.CompletableDeferred

/** One submitted task, from submission until it is answered exactly once. */
@OptIn(InternalAsyncCpuApi::class)
internal class ClusterCall(val task: EncodedTask) {
    val deferred: CompletableDeferred<Any?> = CompletableDeferred()

    /** Times it was sent to a member that was then lost. */
    var losses: Int = 0

    /** The envelope it travels in, and its index there; null while queued. Guarded by the pool's lock. */
    var batch: Batch? = null
    var index: Int = 0
}

/** One envelope of tasks sent to one member. */
internal class Batch(val id: Long, val slot: MemberSlot, val calls: List<ClusterCall>) {
    /** The Hazelcast future of the envelope; null until sent. Guarded by the pool's lock. */
    var future: Future<BatchResult>? = null
    var done: Boolean = false
}

/** A member that runs asynccpu tasks, as the caller sees it. Guarded by the pool's lock. */
internal class MemberSlot(val member: Member, val capacity: Int) {
    val address: String = member.address.let { "${it.host}:${it.port}" }
    var inFlight: Int = 0
    var gone: Boolean = false

    /** Moving average of a task's cost on this member (batch time per task, per running slot), or -1. */
    var averageTaskNanos: Double = -1.0

    /** The most tasks it may hold: its capacity, plus [prefetch] once tasks are known to be short. */
    fun window(prefetch: Int): Int = if (averageTaskNanos in 0.0..SHORT_TASK_NANOS) capacity + prefetch else capacity

    override fun toString(): String = "member $address"

    companion object {
        const val SHORT_TASK_NANOS: Double = 2_000_000.0
    }
}
