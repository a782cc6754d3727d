@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.internal.codec

import kotlinx.serialization.DeserializationStrategy
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.CompositeDecoder
import kotlinx.serialization.encoding.Decoder

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

/** The CBOR decoder [decoder], with every deserializer it is handed wrapped (all other calls go straight to it). */
private class OutOfBandDecoder(private val decoder: Decoder, private val source: SegmentSource) : Decoder by decoder {
    override fun decodeInline(descriptor: SerialDescriptor): Decoder =
        OutOfBandDecoder(decoder.decodeInline(descriptor), source)

    override fun beginStructure(descriptor: SerialDescriptor): CompositeDecoder =
        OutOfBandCompositeDecoder(decoder.beginStructure(descriptor), source)

    override fun <T> decodeSerializableValue(deserializer: DeserializationStrategy<T>): T =
        decoder.decodeSerializableValue(source.wrapped(deserializer))

    override fun <T : Any> decodeNullableSerializableValue(deserializer: DeserializationStrategy<T?>): T? =
        decoder.decodeNullableSerializableValue(source.wrapped(deserializer))
}

/** The same for a structure: its elements' deserializers are wrapped. */
private class OutOfBandCompositeDecoder(private val decoder: CompositeDecoder, private val source: SegmentSource) :
    CompositeDecoder by decoder {
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
