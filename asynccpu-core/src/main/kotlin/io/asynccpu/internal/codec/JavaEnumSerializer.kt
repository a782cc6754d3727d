package io.asynccpu.internal.codec

import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder

/** Encodes a Java (or plain Kotlin) enum constant by its name, so reordering constants is harmless. */
internal class JavaEnumSerializer(private val enumClass: Class<*>) : KSerializer<Any> {
    override val descriptor: SerialDescriptor = PrimitiveSerialDescriptor(enumClass.name, PrimitiveKind.STRING)

    private val byName: Map<String, Any> by lazy { enumClass.enumConstants.associateBy { (it as Enum<*>).name } }

    override fun serialize(encoder: Encoder, value: Any) {
        encoder.encodeString((value as Enum<*>).name)
    }

    override fun deserialize(decoder: Decoder): Any {
        val name = decoder.decodeString()
        return byName[name] ?: throw SerializationException("${enumClass.name} has no constant $name")
    }
}
