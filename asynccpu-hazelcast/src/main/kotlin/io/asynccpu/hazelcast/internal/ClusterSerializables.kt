package io.asynccpu.hazelcast.internal

import com.hazelcast.nio.serialization.DataSerializableFactory
import com.hazelcast.nio.serialization.IdentifiedDataSerializable

/**
 * The factory for every object asynccpu sends through Hazelcast. Each is an [IdentifiedDataSerializable] created by
 * class id from this factory: Hazelcast never needs Java serialization (or reflection on a class name from the wire)
 * for them. Tasks and results travel inside them as the core's CBOR bytes, decoded only by a worker (tasks) or the
 * caller (results).
 */
internal object ClusterSerializables : DataSerializableFactory {
    /** "ACPU" */
    const val FACTORY_ID: Int = 0x41435055
    const val RUN_BATCH: Int = 1
    const val BATCH_RESULT: Int = 2
    const val CANCEL_TASK: Int = 3
    const val LOG_RECORD: Int = 4

    override fun create(typeId: Int): IdentifiedDataSerializable? =
        when (typeId) {
            RUN_BATCH -> RunBatch()
            BATCH_RESULT -> BatchResult()
            CANCEL_TASK -> CancelTask()
            LOG_RECORD -> LogEnvelope()
            else -> null
        }
}
