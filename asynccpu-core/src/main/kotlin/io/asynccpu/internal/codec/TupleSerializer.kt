package io.asynccpu.internal.codec

import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.buildClassSerialDescriptor
import kotlinx.serialization.encoding.CompositeDecoder
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.encoding.decodeStructure
import kotlinx.serialization.encoding.encodeStructure

/** Encodes the argument list of a function call as one structure, each element with its own serializer. */
internal class TupleSerializer(private val elements: List<KSerializer<Any?>>) : KSerializer<List<Any?>> {
    override val descriptor: SerialDescriptor =
        buildClassSerialDescriptor("io.asynccpu.Arguments${elements.size}") {
            elements.forEachIndexed { i, s -> element("$i", s.descriptor) }
        }

    override fun serialize(encoder: Encoder, value: List<Any?>) {
        require(value.size == elements.size) { "expected ${elements.size} arguments, got ${value.size}" }
        encoder.encodeStructure(descriptor) {
            elements.forEachIndexed { i, s -> encodeSerializableElement(descriptor, i, s, value[i]) }
        }
    }

    override fun deserialize(decoder: Decoder): List<Any?> =
        decoder.decodeStructure(descriptor) {
            val values = arrayOfNulls<Any?>(elements.size)
            val seen = BooleanArray(elements.size)
            while (true) {
                val i = decodeElementIndex(descriptor)
                if (i == CompositeDecoder.DECODE_DONE) break
                if (i !in elements.indices) throw SerializationException("unexpected argument index $i")
                values[i] = decodeSerializableElement(descriptor, i, elements[i])
                seen[i] = true
            }
            val missing = seen.indices.filterNot { seen[it] }
            if (missing.isNotEmpty()) throw SerializationException("missing arguments $missing")
            values.toList()
        }
}
