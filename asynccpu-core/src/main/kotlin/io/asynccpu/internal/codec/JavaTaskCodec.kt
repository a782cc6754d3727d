package io.asynccpu.internal.codec

import io.asynccpu.JavaTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.internal.protocol.Segments
import io.asynccpu.internal.worker.JavaRequests
import io.asynccpu.internal.worker.RequestContext
import java.lang.reflect.InvocationTargetException
import kotlin.coroutines.coroutineContext
import kotlinx.serialization.KSerializer

/**
 * Encodes a [JavaTask] submission (class name in the header, input as the body) in the caller's process and decodes it
 * in a worker, where the class has been loaded without initialisation and is checked to implement [JavaTask] before its
 * constructor is ever called.
 */
internal object JavaTaskCodec {
    /** Encodes a run of [taskClass] with [input]; with [outOfBand] false its byte arrays stay in the body. */
    fun encode(taskClass: Class<*>, input: Any?, outOfBand: Boolean = true): EncodedCall {
        val type = JavaTaskType.of(taskClass)
        val encoded =
            try {
                OutOfBand.encode(type.inputSerializer, input, outOfBand)
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "The input of ${type.displayName} could not be encoded: ${e.message}. Pass a value of the " +
                        "declared input type. ${JavaTypeSerializers.SUPPORTED}",
                    e,
                )
            }
        return EncodedCall(
            RunHeader(RunHeader.KIND_JAVA_TASK, taskClass.name),
            encoded.body,
            type.outputSerializer,
            type.displayName,
            segments = encoded.segments,
        )
    }

    /** @throws CodecFailure if the class is not a usable Java task or the input cannot be decoded. */
    fun decode(cls: Class<*>, body: ByteArray, segments: Segments? = null): Invocation {
        val type = typeIn(cls)
        val input = decodeBody(type, type.inputSerializer, body, "input", segments)
        return Invocation(type.outputSerializer, type.displayName) { call(type, input) }
    }

    /**
     * The [JavaTaskType] of [cls] in a worker, checking that it implements [JavaTask] before anything else is done with
     * it. @throws CodecFailure if it is not a usable Java task.
     */
    fun typeIn(cls: Class<*>): JavaTaskType {
        if (!JavaTask::class.java.isAssignableFrom(cls)) {
            throw CodecFailure(
                RemoteFailure.KIND_LOADING,
                "${cls.name} does not implement JavaTask; the worker refuses to instantiate it.",
            )
        }
        return try {
            JavaTaskType.of(cls)
        } catch (e: IllegalArgumentException) {
            throw CodecFailure(RemoteFailure.KIND_LOADING, e.message ?: "cannot instantiate ${cls.name}", e)
        } catch (e: TaskEncodingException) {
            throw CodecFailure(RemoteFailure.KIND_TASK_DECODING, e.message ?: "no serializer", e)
        }
    }

    /** Decodes a request body in a worker. @throws CodecFailure if it cannot be decoded. */
    fun <T> decodeBody(
        type: JavaTaskType,
        serializer: KSerializer<T>,
        body: ByteArray,
        what: String,
        segments: Segments? = null,
    ): T =
        try {
            OutOfBand.decode(serializer, body, segments)
        } catch (e: Exception) {
            throw CodecFailure(
                RemoteFailure.KIND_TASK_DECODING,
                "The $what of ${type.displayName} could not be decoded: ${e.message}",
                e,
            )
        }

    /**
     * Creates a fresh instance of the task and calls it with [input] on this thread, with the running request published
     * to [JavaTask.reportProgress] for the duration of the call.
     */
    suspend fun call(type: JavaTaskType, input: Any?): Any? {
        @Suppress("UNCHECKED_CAST")
        val task =
            try {
                type.constructor.newInstance() as JavaTask<Any?, Any?>
            } catch (e: InvocationTargetException) {
                throw e.targetException
            }
        val request = coroutineContext[RequestContext]
        val previous = JavaRequests.current.get()
        JavaRequests.current.set(request)
        try {
            return task.call(input)
        } finally {
            JavaRequests.current.set(previous)
        }
    }
}
