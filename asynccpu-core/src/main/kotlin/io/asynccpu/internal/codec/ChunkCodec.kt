package io.asynccpu.internal.codec

import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import kotlin.reflect.KFunction
import kotlinx.coroutines.CancellationException
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.builtins.nullable
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.buildClassSerialDescriptor
import kotlinx.serialization.encoding.CompositeDecoder
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.encoding.decodeStructure
import kotlinx.serialization.encoding.encodeStructure

/**
 * Encodes a chunk of `map` inputs (one function reference, a list of arguments) in the caller, and applies the function
 * to each element in a worker.
 *
 * The answer of a chunk is a [ChunkOutcome]: the results of the elements that ran, and, if one element threw, its
 * failure. Elements after a failing one are not run. So the caller can deliver the results before the failing element
 * and then raise its exception at exactly that element.
 */
internal object ChunkCodec {
    /** The parts of a chunk request that are the same for every chunk of one `map`. */
    class Template(
        val header: RunHeader,
        val argumentSerializer: KSerializer<List<Any?>>,
        val outcomeSerializer: KSerializer<Any?>,
        val description: String,
    )

    fun template(function: KFunction<*>): Template {
        val target = FunctionReferences.resolve(function)
        require(target.arity == 1) {
            "map needs a function of one argument; ${target.displayName} takes ${target.arity}"
        }
        val header =
            RunHeader(
                kind = RunHeader.KIND_MAP_CHUNK,
                className = target.owner.name,
                functionName = target.method.name,
                descriptor = target.descriptor,
                onObject = target.onObject,
            )
        @Suppress("UNCHECKED_CAST")
        return Template(
            header,
            ListSerializer(target.parameterSerializers[0]),
            ChunkOutcomeSerializer(target.resultSerializer).nullable as KSerializer<Any?>,
            "map chunk of function ${target.displayName}",
        )
    }

    /** The template of a `map` of the Java task [taskClass]. @throws TaskEncodingException for unsupported types. */
    fun javaTemplate(taskClass: Class<*>): Template {
        val type = JavaTaskType.of(taskClass)
        @Suppress("UNCHECKED_CAST")
        return Template(
            RunHeader(kind = RunHeader.KIND_JAVA_MAP_CHUNK, className = taskClass.name),
            ListSerializer(type.inputSerializer),
            ChunkOutcomeSerializer(type.outputSerializer).nullable as KSerializer<Any?>,
            "map chunk of ${type.displayName}",
        )
    }

    fun encode(template: Template, chunk: List<Any?>): EncodedCall {
        val body =
            try {
                ProtocolCbor.encodeToByteArray(template.argumentSerializer, chunk)
            } catch (e: Exception) {
                throw TaskEncodingException("An input of ${template.description} could not be encoded: ${e.message}", e)
            }
        return EncodedCall(template.header, body, template.outcomeSerializer, template.description)
    }

    /** Decodes a chunk in a worker. @throws CodecFailure if it cannot be run. */
    fun decode(cls: Class<*>, header: RunHeader, body: ByteArray): Invocation {
        val target = TaskCodec.functionTarget(cls, header)
        if (target.arity != 1)
            throw CodecFailure(RemoteFailure.KIND_LOADING, "${target.displayName} does not take one argument")
        val inputs =
            try {
                ProtocolCbor.decodeFromByteArray(ListSerializer(target.parameterSerializers[0]), body)
            } catch (e: Exception) {
                throw CodecFailure(
                    RemoteFailure.KIND_TASK_DECODING,
                    "The inputs of ${target.displayName} could not be decoded: ${e.message}",
                    e,
                )
            }
        @Suppress("UNCHECKED_CAST")
        val serializer = ChunkOutcomeSerializer(target.resultSerializer) as KSerializer<Any?>
        return Invocation(serializer, "map chunk of function ${target.displayName}") {
            applyEach(inputs) { target.call1(it) }
        }
    }

    /** Decodes a chunk of a Java task's `map` in a worker. @throws CodecFailure if it cannot be run. */
    fun decodeJava(cls: Class<*>, body: ByteArray): Invocation {
        val type = JavaTaskCodec.typeIn(cls)
        val inputs = JavaTaskCodec.decodeBody(type, ListSerializer(type.inputSerializer), body, "inputs")
        @Suppress("UNCHECKED_CAST") val serializer = ChunkOutcomeSerializer(type.outputSerializer) as KSerializer<Any?>
        return Invocation(serializer, "map chunk of ${type.displayName}") {
            applyEach(inputs) { JavaTaskCodec.call(type, it) }
        }
    }

    /** Applies [call] to each input in order, stopping at the first that throws. */
    private suspend inline fun applyEach(inputs: List<Any?>, call: (Any?) -> Any?): ChunkOutcome {
        val results = ArrayList<Any?>(inputs.size)
        var failure: RemoteFailure? = null
        for (input in inputs) {
            try {
                results.add(call(input))
            } catch (e: CancellationException) {
                throw e
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                // (If the chunk was cancelled, the runner answers CANCELLED whatever this returns.)
                failure = RemoteFailures.capture(e)
                break
            }
        }
        return ChunkOutcome(results, failure)
    }
}

/** The answer to a chunk: the results in input order, and the failure of the element after them, if any. */
internal class ChunkOutcome(val results: List<Any?>, val failure: RemoteFailure?)

/** Encodes a [ChunkOutcome] as a two-element structure: the results, then the optional failure. */
internal class ChunkOutcomeSerializer(element: KSerializer<Any?>) : KSerializer<ChunkOutcome> {
    private val results = ListSerializer(element)
    private val failure = RemoteFailure.serializer().nullable

    override val descriptor: SerialDescriptor =
        buildClassSerialDescriptor("io.asynccpu.ChunkOutcome") {
            element("r", results.descriptor)
            element("f", failure.descriptor)
        }

    override fun serialize(encoder: Encoder, value: ChunkOutcome) {
        encoder.encodeStructure(descriptor) {
            encodeSerializableElement(descriptor, 0, results, value.results)
            if (value.failure != null)
                encodeNullableSerializableElement(descriptor, 1, RemoteFailure.serializer(), value.failure)
        }
    }

    override fun deserialize(decoder: Decoder): ChunkOutcome =
        decoder.decodeStructure(descriptor) {
            var values: List<Any?> = emptyList()
            var failed: RemoteFailure? = null
            while (true) {
                when (decodeElementIndex(descriptor)) {
                    0 -> values = decodeSerializableElement(descriptor, 0, results)
                    1 -> failed = decodeNullableSerializableElement(descriptor, 1, failure)
                    CompositeDecoder.DECODE_DONE -> break
                    else ->
                        throw kotlinx.serialization.SerializationException("unexpected element in a map chunk answer")
                }
            }
            ChunkOutcome(values, failed)
        }
}
