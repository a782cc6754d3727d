package io.asynccpu.internal.codec

import java.lang.reflect.Constructor
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.RecordComponent
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.buildClassSerialDescriptor
import kotlinx.serialization.encoding.CompositeDecoder
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.encoding.decodeStructure
import kotlinx.serialization.encoding.encodeStructure

/**
 * Encodes a Java record as a structure of its components (read through the accessor methods), and decodes it through
 * the canonical constructor, so the record's own validation runs on decoding. Each component has its own serializer,
 * built by [JavaTypeSerializers].
 */
internal class RecordSerializer(private val recordClass: Class<*>, private val components: List<Component>) :
    KSerializer<Any> {
    /** One record component and the serializer of its (resolved) type. */
    class Component(val component: RecordComponent, val serializer: KSerializer<Any?>)

    private val constructor: Constructor<*> =
        recordClass.getDeclaredConstructor(*components.map { it.component.type }.toTypedArray()).apply {
            isAccessible = true
        }
    private val accessors = components.map { c -> c.component.accessor.apply { isAccessible = true } }

    override val descriptor: SerialDescriptor =
        buildClassSerialDescriptor(recordClass.name) {
            components.forEach { c -> element(c.component.name, c.serializer.descriptor) }
        }

    override fun serialize(encoder: Encoder, value: Any) {
        encoder.encodeStructure(descriptor) {
            components.forEachIndexed { i, c ->
                encodeSerializableElement(descriptor, i, c.serializer, accessors[i].invoke(value))
            }
        }
    }

    override fun deserialize(decoder: Decoder): Any {
        val values = arrayOfNulls<Any?>(components.size)
        decoder.decodeStructure(descriptor) {
            val seen = BooleanArray(components.size)
            while (true) {
                val i = decodeElementIndex(descriptor)
                if (i == CompositeDecoder.DECODE_DONE) break
                if (i !in components.indices) throw SerializationException("unexpected component index $i")
                values[i] = decodeSerializableElement(descriptor, i, components[i].serializer)
                seen[i] = true
            }
            val missing = components.indices.filterNot { seen[it] }.map { components[it].component.name }
            if (missing.isNotEmpty())
                throw SerializationException("record ${recordClass.name} misses components $missing")
        }
        return try {
            constructor.newInstance(*values)
        } catch (e: InvocationTargetException) {
            throw SerializationException(
                "the canonical constructor of ${recordClass.name} refused the decoded values: ${e.targetException}",
                e.targetException,
            )
        }
    }
}
