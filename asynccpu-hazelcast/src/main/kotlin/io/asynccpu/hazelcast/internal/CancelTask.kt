package io.asynccpu.hazelcast.internal

import com.hazelcast.core.HazelcastInstance
import com.hazelcast.core.HazelcastInstanceAware
import com.hazelcast.nio.ObjectDataInput
import com.hazelcast.nio.ObjectDataOutput
import com.hazelcast.nio.serialization.IdentifiedDataSerializable
import java.util.concurrent.Callable

/**
 * Cancels task [index] of batch [batchId] of pool [poolId] on the member that runs it. Sent on the control executor, so
 * it is not queued behind running batches. A cancel that arrives before its batch is remembered, and the task never
 * starts.
 */
internal class CancelTask() : IdentifiedDataSerializable, Callable<Boolean>, HazelcastInstanceAware {
    var poolId: String = ""
    var batchId: Long = 0
    var index: Int = 0

    @Transient private var instance: HazelcastInstance? = null

    constructor(poolId: String, batchId: Long, index: Int) : this() {
        this.poolId = poolId
        this.batchId = batchId
        this.index = index
    }

    override fun setHazelcastInstance(hazelcastInstance: HazelcastInstance) {
        instance = hazelcastInstance
    }

    override fun call(): Boolean =
        MemberRuntime.of(instance ?: error("no Hazelcast instance")).cancel(poolId, batchId, index)

    override fun getFactoryId(): Int = ClusterSerializables.FACTORY_ID

    override fun getClassId(): Int = ClusterSerializables.CANCEL_TASK

    override fun writeData(out: ObjectDataOutput) {
        out.writeString(poolId)
        out.writeLong(batchId)
        out.writeInt(index)
    }

    override fun readData(input: ObjectDataInput) {
        poolId = input.readString() ?: ""
        batchId = input.readLong()
        index = input.readInt()
    }
}
