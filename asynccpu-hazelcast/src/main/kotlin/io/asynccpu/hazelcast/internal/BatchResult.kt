package io.asynccpu.hazelcast.internal

import com.hazelcast.nio.ObjectDataInput
import com.hazelcast.nio.ObjectDataOutput
import com.hazelcast.nio.serialization.IdentifiedDataSerializable

/**
 * The answer to a [RunBatch]: per task a status and its bytes (the encoded result, or the encoded failure from
 * `EncodedFailureException.encode`), plus how long the batch took on the member.
 *
 * ```
 * wallNanos: i64   memberPid: i64   count: i32   count × (status: i8, bytes: byte[] or null)
 * ```
 */
internal class BatchResult() : IdentifiedDataSerializable {
    var wallNanos: Long = 0
    var memberPid: Long = 0
    var status: ByteArray = ByteArray(0)
    var payloads: Array<ByteArray?> = emptyArray()

    constructor(wallNanos: Long, memberPid: Long, status: ByteArray, payloads: Array<ByteArray?>) : this() {
        this.wallNanos = wallNanos
        this.memberPid = memberPid
        this.status = status
        this.payloads = payloads
    }

    override fun getFactoryId(): Int = ClusterSerializables.FACTORY_ID

    override fun getClassId(): Int = ClusterSerializables.BATCH_RESULT

    override fun writeData(out: ObjectDataOutput) {
        out.writeLong(wallNanos)
        out.writeLong(memberPid)
        out.writeInt(status.size)
        for (i in status.indices) {
            out.writeByte(status[i].toInt())
            out.writeByteArray(payloads[i])
        }
    }

    override fun readData(input: ObjectDataInput) {
        wallNanos = input.readLong()
        memberPid = input.readLong()
        val count = input.readInt()
        require(count in 0..RunBatch.MAX_TASKS) { "bad result count $count" }
        status = ByteArray(count)
        payloads =
            Array(count) { i ->
                status[i] = input.readByte()
                input.readByteArray()
            }
    }

    companion object {
        const val RESULT: Byte = 0
        const val FAILURE: Byte = 1
        const val CANCELLED: Byte = 2
    }
}
