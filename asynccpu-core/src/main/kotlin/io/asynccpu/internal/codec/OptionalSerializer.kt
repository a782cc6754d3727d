package io.asynccpu.internal.codec

import java.util.Optional
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder

/**
 * Encodes a `java.util.Optional` as a list of zero or one element, so an empty `Optional` stays distinct from a null
 * `Optional` reference. A list of more than one element fails decoding.
 */
internal class OptionalSerializer(element: KSerializer<Any>) : KSerializer<Any> {
    private val list = ListSerializer(element)

    override val descriptor: SerialDescriptor = list.descriptor

    override fun serialize(encoder: Encoder, value: Any) {
        val optional = value as Optional<*>
        encoder.encodeSerializableValue(list, if (optional.isPresent) listOf(optional.get()) else emptyList())
    }

    override fun deserialize(decoder: Decoder): Any {
        val items = decoder.decodeSerializableValue(list)
        return when (items.size) {
            0 -> Optional.empty<Any>()
            1 -> Optional.of(items[0])
            else -> throw SerializationException("An Optional arrived with ${items.size} values")
        }
    }
}
