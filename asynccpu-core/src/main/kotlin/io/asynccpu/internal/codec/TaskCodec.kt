package io.asynccpu.internal.codec

import io.asynccpu.ProcessTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import kotlin.reflect.KFunction

/**
 * Encodes tasks and function calls in the caller's process, and decodes them in a worker.
 *
 * Decoding enforces the rule that only classes implementing a task interface are instantiated from the wire: the class
 * named in a RUN frame is loaded *without initialisation* and checked before anything else touches it. Function calls
 * may only name methods of Kotlin-compiled classes (top-level file facades and objects) of the application:
 * [FunctionPolicy] is checked on the class name before the class is loaded.
 */
internal object TaskCodec {
    fun encodeTask(task: ProcessTask<*>): EncodedCall {
        val type = TaskType.of(task.javaClass)
        val body =
            try {
                ProtocolCbor.encodeToByteArray(type.taskSerializer, task)
            } catch (e: Exception) {
                throw TaskEncodingException("Task ${task.javaClass.name} could not be encoded: ${e.message}", e)
            }
        return EncodedCall(type.runHeader, body, type.resultSerializer, "task ${task.javaClass.simpleName}")
    }

    fun encodeFunction(function: KFunction<*>, args: List<Any?>): EncodedCall {
        val target = FunctionReferences.resolve(function)
        require(args.size == target.arity) {
            "${target.displayName} takes ${target.arity} arguments, ${args.size} given"
        }
        val body =
            try {
                ProtocolCbor.encodeToByteArray(target.argumentsSerializer, args)
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "The arguments of ${target.displayName} could not be encoded: ${e.message}",
                    e,
                )
            }
        return EncodedCall(target.runHeader, body, target.resultSerializer, "function ${target.displayName}")
    }

    /** Encodes a submission of the [io.asynccpu.JavaTask] class [taskClass] with [input]. */
    fun encodeJavaTask(taskClass: Class<*>, input: Any?): EncodedCall = JavaTaskCodec.encode(taskClass, input)

    /** Decodes a RUN request in a worker. @throws CodecFailure if it cannot be run. */
    fun decode(header: RunHeader, body: ByteArray, loader: ClassLoader): Invocation =
        resolve(header, loader).decode(body)

    /** Turns the bodies of RUN requests that share one header into invocations. */
    fun interface BodyDecoder {
        /** @throws CodecFailure if the body cannot be decoded. */
        fun decode(body: ByteArray): Invocation
    }

    /**
     * Checks and loads what [header] names, once: the returned decoder decodes the bodies of every request with this
     * header (a worker keeps it per distinct RUN head, see `RunHeads`).
     *
     * @throws CodecFailure if it cannot be run.
     */
    fun resolve(header: RunHeader, loader: ClassLoader): BodyDecoder {
        if (header.kind == RunHeader.KIND_FUNCTION || header.kind == RunHeader.KIND_MAP_CHUNK) {
            FunctionPolicy.refusal(header.className)?.let {
                throw CodecFailure(RemoteFailure.KIND_LOADING, "'${header.functionName}': $it")
            }
        }
        val cls = load(header.className, loader)
        return when (header.kind) {
            RunHeader.KIND_TASK -> taskDecoder(cls)
            RunHeader.KIND_FUNCTION -> functionDecoder(functionTarget(cls, header))
            RunHeader.KIND_JAVA_TASK -> BodyDecoder { JavaTaskCodec.decode(cls, it) }
            RunHeader.KIND_MAP_CHUNK -> BodyDecoder { ChunkCodec.decode(cls, header, it) }
            RunHeader.KIND_STREAM -> BodyDecoder { StreamCodec.decode(cls, it) }
            RunHeader.KIND_JAVA_MAP_CHUNK -> BodyDecoder { ChunkCodec.decodeJava(cls, it) }
            else -> throw CodecFailure(RemoteFailure.KIND_LOADING, "unknown request kind ${header.kind}")
        }
    }

    private fun taskDecoder(cls: Class<*>): BodyDecoder {
        if (!ProcessTask::class.java.isAssignableFrom(cls)) {
            throw CodecFailure(
                RemoteFailure.KIND_LOADING,
                "${cls.name} does not implement ProcessTask; the worker refuses to instantiate it.",
            )
        }
        val type =
            try {
                TaskType.of(cls)
            } catch (e: TaskEncodingException) {
                throw CodecFailure(RemoteFailure.KIND_TASK_DECODING, e.message ?: "no serializer", e)
            }
        val description = "task ${cls.simpleName}"
        return BodyDecoder { body ->
            val task =
                try {
                    ProtocolCbor.decodeFromByteArray(type.taskSerializer, body) as ProcessTask<*>
                } catch (e: Exception) {
                    throw CodecFailure(
                        RemoteFailure.KIND_TASK_DECODING,
                        "Task ${cls.name} could not be decoded: ${e.message}",
                        e,
                    )
                }
            Invocation(type.resultSerializer, description) { task.run() }
        }
    }

    /** The function a RUN header names in [cls] (already checked by [FunctionPolicy] in [decode]). */
    internal fun functionTarget(cls: Class<*>, header: RunHeader): FunctionTarget {
        if (!cls.isAnnotationPresent(Metadata::class.java)) {
            throw CodecFailure(RemoteFailure.KIND_LOADING, "${cls.name} is not a Kotlin class; refused.")
        }
        return try {
            FunctionTarget.find(cls, header.functionName ?: "", header.descriptor ?: "", header.onObject)
        } catch (e: TaskEncodingException) {
            throw CodecFailure(RemoteFailure.KIND_TASK_DECODING, e.message ?: "no serializer", e)
        }
            ?: throw CodecFailure(
                RemoteFailure.KIND_LOADING,
                "function ${header.functionName}${header.descriptor} not found in ${cls.name} on the worker's classpath",
            )
    }

    private fun functionDecoder(target: FunctionTarget): BodyDecoder {
        val description = "function ${target.displayName}"
        return BodyDecoder { body ->
            val args =
                try {
                    ProtocolCbor.decodeFromByteArray(target.argumentsSerializer, body)
                } catch (e: Exception) {
                    throw CodecFailure(
                        RemoteFailure.KIND_TASK_DECODING,
                        "The arguments of ${target.displayName} could not be decoded: ${e.message}",
                        e,
                    )
                }
            Invocation(target.resultSerializer, description) { target.call(args) }
        }
    }

    private fun load(name: String, loader: ClassLoader): Class<*> =
        try {
            Class.forName(name, false, loader)
        } catch (e: ClassNotFoundException) {
            throw CodecFailure(
                RemoteFailure.KIND_LOADING,
                "Class $name is not on the worker's classpath. Workers use the caller's java.class.path " +
                    "(or the pool's 'classpath' setting); classes from custom class loaders cannot be loaded.",
                e,
            )
        } catch (e: LinkageError) {
            throw CodecFailure(RemoteFailure.KIND_LOADING, "Class $name could not be loaded in the worker: $e", e)
        }
}
