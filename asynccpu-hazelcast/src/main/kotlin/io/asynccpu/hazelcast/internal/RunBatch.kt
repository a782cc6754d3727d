package io.asynccpu.hazelcast.internal

import com.hazelcast.core.HazelcastInstance
import com.hazelcast.core.HazelcastInstanceAware
import com.hazelcast.nio.ObjectDataInput
import com.hazelcast.nio.ObjectDataOutput
import com.hazelcast.nio.serialization.IdentifiedDataSerializable
import java.util.concurrent.Callable

/**
 * One envelope of tasks for one member: the caller's pool id and batch id (for cancellation), the distinct task
 * headers, and per task a header index and its encoded body. Runs on the member as a Hazelcast executor callable that
 * hands each task to the member's local pool and answers with one [BatchResult] when all of them have ended.
 *
 * ```
 * poolId: UTF string   batchId: i64
 * headerCount: i32     headerCount × byte[]          (RunHeader bytes, shared by tasks of one class)
 * taskCount: i32       taskCount × (headerIndex: i32, body: byte[])
 * ```
 */
internal class RunBatch() : IdentifiedDataSerializable, Callable<BatchResult>, HazelcastInstanceAware {
    var poolId: String = ""
    var batchId: Long = 0
    var headers: Array<ByteArray> = emptyArray()
    var headerIndex: IntArray = IntArray(0)
    var bodies: Array<ByteArray> = emptyArray()

    @Transient private var instance: HazelcastInstance? = null

    constructor(
        poolId: String,
        batchId: Long,
        headers: Array<ByteArray>,
        headerIndex: IntArray,
        bodies: Array<ByteArray>,
    ) : this() {
        this.poolId = poolId
        this.batchId = batchId
        this.headers = headers
        this.headerIndex = headerIndex
        this.bodies = bodies
    }

    override fun setHazelcastInstance(hazelcastInstance: HazelcastInstance) {
        instance = hazelcastInstance
    }

    override fun call(): BatchResult {
        val runtime = MemberRuntime.of(instance ?: error("no Hazelcast instance"))
        return runtime.run(this)
    }

    override fun getFactoryId(): Int = ClusterSerializables.FACTORY_ID

    override fun getClassId(): Int = ClusterSerializables.RUN_BATCH

    override fun writeData(out: ObjectDataOutput) {
        out.writeString(poolId)
        out.writeLong(batchId)
        out.writeInt(headers.size)
        headers.forEach { out.writeByteArray(it) }
        out.writeInt(bodies.size)
        for (i in bodies.indices) {
            out.writeInt(headerIndex[i])
            out.writeByteArray(bodies[i])
        }
    }

    override fun readData(input: ObjectDataInput) {
        poolId = input.readString() ?: ""
        batchId = input.readLong()
        val headerCount = input.readInt()
        require(headerCount in 0..MAX_TASKS) { "bad header count $headerCount" }
        headers = Array(headerCount) { input.readByteArray() ?: ByteArray(0) }
        val count = input.readInt()
        require(count in 0..MAX_TASKS) { "bad task count $count" }
        headerIndex = IntArray(count)
        bodies =
            Array(count) { i ->
                headerIndex[i] = input.readInt()
                require(headerIndex[i] in 0 until headerCount) { "bad header index ${headerIndex[i]}" }
                input.readByteArray() ?: ByteArray(0)
            }
    }

    companion object {
        /** More tasks than any client sends in one envelope: refused as malformed. */
        const val MAX_TASKS: Int = 1 shl 16
    }
}
