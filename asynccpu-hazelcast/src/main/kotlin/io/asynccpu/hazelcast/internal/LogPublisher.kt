package io.asynccpu.hazelcast.internal

import com.hazelcast.core.HazelcastInstance
import com.hazelcast.topic.ITopic
import io.asynccpu.logging.LogRecord
import io.asynccpu.logging.LogRecordListener

/**
 * Member side of log forwarding: publishes each worker record of the local pool on the cluster's log topic, stamped
 * with this member's address. Records logged before the member joined are dropped.
 */
internal class LogPublisher : LogRecordListener {
    @Volatile private var topic: ITopic<LogEnvelope>? = null

    @Volatile private var address: String = ""

    fun attach(instance: HazelcastInstance) {
        address = instance.cluster.localMember.address.let { "${it.host}:${it.port}" }
        topic = instance.getTopic(HazelcastSetup.LOG_TOPIC)
    }

    override fun onRecord(record: LogRecord) {
        val topic = topic ?: return
        val mdc = HashMap(record.mdc)
        record.taskId?.let { mdc["asynccpu.task"] = it.toString() }
        val envelope =
            LogEnvelope(
                address,
                record.level.name,
                record.loggerName,
                record.message,
                record.threadName,
                record.workerPid,
                record.workerId,
                mdc,
                record.throwable?.toThrowable()?.stackTraceToString(),
            )
        runCatching { topic.publishAsync(envelope) }
    }
}
