package io.asynccpu.internal.codec

import io.asynccpu.StreamingTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.internal.worker.RequestContext
import kotlin.coroutines.coroutineContext
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.nullable
import kotlinx.serialization.serializer

/**
 * Encodes a [StreamingTask] in the caller and runs it in a worker: the worker collects the task's flow and sends each
 * item as a STREAM_ITEM, waiting for CREDIT from the caller whenever it has sent all the items it was allowed to (see
 * the protocol's streaming diagram).
 */
internal object StreamCodec {
    /** The serializers of one streaming task class: the class and its item type. */
    class StreamType(val taskSerializer: KSerializer<Any?>, val itemSerializer: KSerializer<Any?>)

    private val cache =
        object : ClassValue<StreamType>() {
            override fun computeValue(type: Class<*>): StreamType = resolve(type)
        }

    /** @throws TaskEncodingException if the class or its item type has no serializer. */
    fun typeOf(cls: Class<*>): StreamType = cache.get(cls)

    fun encode(task: StreamingTask<*>): EncodedCall {
        val type = typeOf(task.javaClass)
        val body =
            try {
                ProtocolCbor.encodeToByteArray(type.taskSerializer, task)
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "Streaming task ${task.javaClass.name} could not be encoded: ${e.message}",
                    e,
                )
            }
        return EncodedCall(
            RunHeader(RunHeader.KIND_STREAM, task.javaClass.name),
            body,
            type.itemSerializer,
            "streaming task ${task.javaClass.simpleName}",
        )
    }

    /** Decodes a streaming request in a worker. @throws CodecFailure if it cannot be run. */
    fun decode(cls: Class<*>, body: ByteArray): Invocation {
        if (!StreamingTask::class.java.isAssignableFrom(cls)) {
            throw CodecFailure(
                RemoteFailure.KIND_LOADING,
                "${cls.name} does not implement StreamingTask; the worker refuses to instantiate it.",
            )
        }
        val type =
            try {
                typeOf(cls)
            } catch (e: TaskEncodingException) {
                throw CodecFailure(RemoteFailure.KIND_TASK_DECODING, e.message ?: "no serializer", e)
            }
        val task =
            try {
                ProtocolCbor.decodeFromByteArray(type.taskSerializer, body) as StreamingTask<*>
            } catch (e: Exception) {
                throw CodecFailure(
                    RemoteFailure.KIND_TASK_DECODING,
                    "Streaming task ${cls.name} could not be decoded: ${e.message}",
                    e,
                )
            }
        return Invocation(type.itemSerializer, "streaming task ${cls.simpleName}", streaming = true) {
            val request = checkNotNull(coroutineContext[RequestContext]) { "not running as a worker request" }
            var allowed = 0
            task.stream().collect { item ->
                while (allowed == 0) allowed += request.entry.credits.receive()
                allowed--
                val bytes =
                    try {
                        ProtocolCbor.encodeToByteArray(type.itemSerializer, item)
                    } catch (e: Exception) {
                        throw CodecFailure(RemoteFailure.KIND_RESULT_ENCODING, "an item could not be encoded: $e", e)
                    }
                if (!Protocol.fits(bytes.size.toLong(), request.maxFrameSize)) {
                    throw CodecFailure(RemoteFailure.KIND_TOO_LARGE, "${bytes.size}")
                }
                request.send(FlowMessages.streamItem(request.id, bytes))
            }
            null
        }
    }

    private fun resolve(cls: Class<*>): StreamType {
        val taskSerializer =
            try {
                serializer(cls)
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "Streaming task class ${cls.name} is not serializable: annotate it with @Serializable; its " +
                        "properties are the task's arguments.",
                    e,
                )
            }
        val itemType =
            JvmTypes.typeArgument(cls, StreamingTask::class.java, 0)
                ?: throw TaskEncodingException("${cls.name} does not implement StreamingTask")
        if (JvmTypes.hasTypeVariable(itemType)) {
            throw TaskEncodingException(
                "The item type of streaming task ${cls.name} is the type variable '$itemType': declare a concrete one."
            )
        }
        val itemSerializer =
            try {
                BuiltinSerializers.of(itemType).nullable
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "The item type '${itemType.typeName}' of streaming task ${cls.name} is not serializable.",
                    e,
                )
            }
        @Suppress("UNCHECKED_CAST")
        return StreamType(taskSerializer as KSerializer<Any?>, itemSerializer)
    }
}
