@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.internal.codec

import kotlinx.serialization.DeserializationStrategy
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.CompositeDecoder
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.modules.SerializersModule

/*
 * The decoding side of [OutOfBand], the mirror of OutOfBandEncoder.kt: every deserializer the CBOR decoder is handed is
 * wrapped, down to the byte arrays, which take their arrays from the [SegmentSource].
 */

private val plainBytes = ByteArraySerializer()

/** Wraps [deserializer] so that the byte arrays it (and everything below it) decodes come from [source]. */
@Suppress("UNCHECKED_CAST")
internal fun <T> SegmentSource.wrapped(deserializer: DeserializationStrategy<T>): DeserializationStrategy<T> =
    if (OutOfBand.isByteArray(deserializer.descriptor)) {
        SegmentBytesDeserializer(this) as DeserializationStrategy<T>
    } else {
        OutOfBandDeserializer(deserializer, this)
    }

private class OutOfBandDeserializer<T>(
    private val inner: DeserializationStrategy<T>,
    private val source: SegmentSource,
) : DeserializationStrategy<T> {
    override val descriptor: SerialDescriptor
        get() = inner.descriptor

    override fun deserialize(decoder: Decoder): T = inner.deserialize(OutOfBandDecoder(decoder, source))
}

/** A byte array: the segment it stands for, or its bytes. */
private class SegmentBytesDeserializer(private val source: SegmentSource) : DeserializationStrategy<ByteArray> {
    override val descriptor: SerialDescriptor = descriptorOfSegmentBytes

    override fun deserialize(decoder: Decoder): ByteArray = source.take(decoder.decodeSerializableValue(plainBytes))
}

private class OutOfBandDecoder(private val decoder: Decoder, private val source: SegmentSource) : Decoder {
    override val serializersModule: SerializersModule
        get() = decoder.serializersModule

    override fun decodeNotNullMark(): Boolean = decoder.decodeNotNullMark()

    override fun decodeNull(): Nothing? = decoder.decodeNull()

    override fun decodeBoolean(): Boolean = decoder.decodeBoolean()

    override fun decodeByte(): Byte = decoder.decodeByte()

    override fun decodeShort(): Short = decoder.decodeShort()

    override fun decodeChar(): Char = decoder.decodeChar()

    override fun decodeInt(): Int = decoder.decodeInt()

    override fun decodeLong(): Long = decoder.decodeLong()

    override fun decodeFloat(): Float = decoder.decodeFloat()

    override fun decodeDouble(): Double = decoder.decodeDouble()

    override fun decodeString(): String = decoder.decodeString()

    override fun decodeEnum(enumDescriptor: SerialDescriptor): Int = decoder.decodeEnum(enumDescriptor)

    override fun decodeInline(descriptor: SerialDescriptor): Decoder =
        OutOfBandDecoder(decoder.decodeInline(descriptor), source)

    override fun beginStructure(descriptor: SerialDescriptor): CompositeDecoder =
        OutOfBandCompositeDecoder(decoder.beginStructure(descriptor), source)

    override fun <T> decodeSerializableValue(deserializer: DeserializationStrategy<T>): T =
        decoder.decodeSerializableValue(source.wrapped(deserializer))

    override fun <T : Any> decodeNullableSerializableValue(deserializer: DeserializationStrategy<T?>): T? =
        decoder.decodeNullableSerializableValue(source.wrapped(deserializer))
}

private class OutOfBandCompositeDecoder(private val decoder: CompositeDecoder, private val source: SegmentSource) :
    CompositeDecoder {
    override val serializersModule: SerializersModule
        get() = decoder.serializersModule

    override fun endStructure(descriptor: SerialDescriptor) = decoder.endStructure(descriptor)

    override fun decodeSequentially(): Boolean = decoder.decodeSequentially()

    override fun decodeElementIndex(descriptor: SerialDescriptor): Int = decoder.decodeElementIndex(descriptor)

    override fun decodeCollectionSize(descriptor: SerialDescriptor): Int = decoder.decodeCollectionSize(descriptor)

    override fun decodeBooleanElement(descriptor: SerialDescriptor, index: Int): Boolean =
        decoder.decodeBooleanElement(descriptor, index)

    override fun decodeByteElement(descriptor: SerialDescriptor, index: Int): Byte =
        decoder.decodeByteElement(descriptor, index)

    override fun decodeCharElement(descriptor: SerialDescriptor, index: Int): Char =
        decoder.decodeCharElement(descriptor, index)

    override fun decodeShortElement(descriptor: SerialDescriptor, index: Int): Short =
        decoder.decodeShortElement(descriptor, index)

    override fun decodeIntElement(descriptor: SerialDescriptor, index: Int): Int =
        decoder.decodeIntElement(descriptor, index)

    override fun decodeLongElement(descriptor: SerialDescriptor, index: Int): Long =
        decoder.decodeLongElement(descriptor, index)

    override fun decodeFloatElement(descriptor: SerialDescriptor, index: Int): Float =
        decoder.decodeFloatElement(descriptor, index)

    override fun decodeDoubleElement(descriptor: SerialDescriptor, index: Int): Double =
        decoder.decodeDoubleElement(descriptor, index)

    override fun decodeStringElement(descriptor: SerialDescriptor, index: Int): String =
        decoder.decodeStringElement(descriptor, index)

    override fun decodeInlineElement(descriptor: SerialDescriptor, index: Int): Decoder =
        OutOfBandDecoder(decoder.decodeInlineElement(descriptor, index), source)

    override fun <T> decodeSerializableElement(
        descriptor: SerialDescriptor,
        index: Int,
        deserializer: DeserializationStrategy<T>,
        previousValue: T?,
    ): T = decoder.decodeSerializableElement(descriptor, index, source.wrapped(deserializer), previousValue)

    override fun <T : Any> decodeNullableSerializableElement(
        descriptor: SerialDescriptor,
        index: Int,
        deserializer: DeserializationStrategy<T?>,
        previousValue: T?,
    ): T? = decoder.decodeNullableSerializableElement(descriptor, index, source.wrapped(deserializer), previousValue)
}
