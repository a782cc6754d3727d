package io.asynccpu.internal.codec

import io.asynccpu.ProcessTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.internal.protocol.Segments
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
    /**
     * Encodes [task]; with [outOfBand] false its byte arrays stay in the body (bytes that must stand alone, such as an
     * `EncodedTask`'s).
     */
    fun encodeTask(task: ProcessTask<*>, outOfBand: Boolean = true): EncodedCall {
        val type = TaskType.of(task.javaClass)
        val encoded =
            try {
                OutOfBand.encode(type.taskSerializer, task, outOfBand)
            } catch (e: Exception) {
                throw TaskEncodingException("Task ${task.javaClass.name} could not be encoded: ${e.message}", e)
            }
        return EncodedCall(
            type.runHeader,
            encoded.body,
            type.resultSerializer,
            "task ${task.javaClass.simpleName}",
            segments = encoded.segments,
        )
    }

    /** Encodes a call of [function] with [args]; [outOfBand] as in [encodeTask]. */
    fun encodeFunction(function: KFunction<*>, args: List<Any?>, outOfBand: Boolean = true): EncodedCall {
        val target = FunctionReferences.resolve(function)
        require(args.size == target.arity) {
            "${target.displayName} takes ${target.arity} arguments, ${args.size} given"
        }
        val encoded =
            try {
                OutOfBand.encode(target.argumentsSerializer, args, outOfBand)
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "The arguments of ${target.displayName} could not be encoded: ${e.message}",
                    e,
                )
            }
        return EncodedCall(
            target.runHeader,
            encoded.body,
            target.resultSerializer,
            "function ${target.displayName}",
            segments = encoded.segments,
        )
    }

    /** Encodes a submission of the [io.asynccpu.JavaTask] class [taskClass] with [input]; [outOfBand] as above. */
    fun encodeJavaTask(taskClass: Class<*>, input: Any?, outOfBand: Boolean = true): EncodedCall =
        JavaTaskCodec.encode(taskClass, input, outOfBand)

    /** Decodes a RUN request in a worker. @throws CodecFailure if it cannot be run. */
    fun decode(header: RunHeader, body: ByteArray, loader: ClassLoader, segments: Segments? = null): Invocation =
        resolve(header, loader).decode(body, segments)

    /** Turns the bodies of RUN requests that share one header into invocations. */
    fun interface BodyDecoder {
        /**
         * Decodes [body] and its out-of-band arrays ([segments], for the kinds that send them).
         *
         * @throws CodecFailure if the body cannot be decoded.
         */
        fun decode(body: ByteArray, segments: Segments?): Invocation
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
            RunHeader.KIND_JAVA_TASK -> BodyDecoder { body, segments -> JavaTaskCodec.decode(cls, body, segments) }
            // Map chunks and streaming tasks are encoded without segments.
            RunHeader.KIND_MAP_CHUNK -> BodyDecoder { body, _ -> ChunkCodec.decode(cls, header, body) }
            RunHeader.KIND_STREAM -> BodyDecoder { body, _ -> StreamCodec.decode(cls, body) }
            RunHeader.KIND_JAVA_MAP_CHUNK -> BodyDecoder { body, _ -> ChunkCodec.decodeJava(cls, body) }
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
        return BodyDecoder { body, segments ->
            val task =
                try {
                    OutOfBand.decode(type.taskSerializer, body, segments) as ProcessTask<*>
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
        return BodyDecoder { body, segments ->
            val args =
                try {
                    OutOfBand.decode(target.argumentsSerializer, body, segments)
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
