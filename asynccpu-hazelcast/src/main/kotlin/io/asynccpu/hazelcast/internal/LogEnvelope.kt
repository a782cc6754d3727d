package io.asynccpu.hazelcast.internal

import com.hazelcast.nio.ObjectDataInput
import com.hazelcast.nio.ObjectDataOutput
import com.hazelcast.nio.serialization.IdentifiedDataSerializable

/** One worker log record on its way from a member to the callers that forward logs. */
internal class LogEnvelope() : IdentifiedDataSerializable {
    var member: String = ""
    var level: String = "INFO"
    var loggerName: String = ""
    var message: String = ""
    var threadName: String = ""
    var workerPid: Long = -1
    var workerId: Int = -1
    var mdc: Map<String, String> = emptyMap()
    var throwable: String? = null

    constructor(
        member: String,
        level: String,
        loggerName: String,
        message: String,
        threadName: String,
        workerPid: Long,
        workerId: Int,
        mdc: Map<String, String>,
        throwable: String?,
    ) : this() {
        this.member = member
        this.level = level
        this.loggerName = loggerName
        this.message = message
        this.threadName = threadName
        this.workerPid = workerPid
        this.workerId = workerId
        this.mdc = mdc
        this.throwable = throwable
    }

    override fun getFactoryId(): Int = ClusterSerializables.FACTORY_ID

    override fun getClassId(): Int = ClusterSerializables.LOG_RECORD

    override fun writeData(out: ObjectDataOutput) {
        out.writeString(member)
        out.writeString(level)
        out.writeString(loggerName)
        out.writeString(message)
        out.writeString(threadName)
        out.writeLong(workerPid)
        out.writeInt(workerId)
        out.writeInt(mdc.size)
        mdc.forEach { (k, v) ->
            out.writeString(k)
            out.writeString(v)
        }
        out.writeString(throwable)
    }

    override fun readData(input: ObjectDataInput) {
        member = input.readString() ?: ""
        level = input.readString() ?: "INFO"
        loggerName = input.readString() ?: ""
        message = input.readString() ?: ""
        threadName = input.readString() ?: ""
        workerPid = input.readLong()
        workerId = input.readInt()
        val count = input.readInt()
        require(count in 0..MAX_MDC) { "bad MDC size $count" }
        mdc = (0 until count).associate { (input.readString() ?: "") to (input.readString() ?: "") }
        throwable = input.readString()
    }

    private companion object {
        const val MAX_MDC = 1024
    }
}
