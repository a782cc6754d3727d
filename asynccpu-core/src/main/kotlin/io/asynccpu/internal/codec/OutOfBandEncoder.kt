@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.internal.codec

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.SerializationStrategy
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.CompositeEncoder
import kotlinx.serialization.encoding.Encoder
import kotlinx.serialization.modules.SerializersModule

/*
 * The encoding side of [OutOfBand]: the CBOR encoder is wrapped so that every serializer it is handed is wrapped too,
 * down to the byte arrays, which go to the [SegmentSink]. A byte array's serializer is replaced by one with another
 * descriptor: the CBOR encoder recognises ByteArraySerializer by its descriptor and would write the bytes itself.
 */

private val plainBytes = ByteArraySerializer()

/** Wraps [serializer] so that the byte arrays it (and everything below it) encodes pass through [sink]. */
@Suppress("UNCHECKED_CAST")
internal fun <T> SegmentSink.wrapped(serializer: SerializationStrategy<T>): SerializationStrategy<T> =
    if (OutOfBand.isByteArray(serializer.descriptor)) {
        SegmentBytesSerializer(this) as SerializationStrategy<T>
    } else {
        OutOfBandSerializer(serializer, this)
    }

private class OutOfBandSerializer<T>(private val inner: SerializationStrategy<T>, private val sink: SegmentSink) :
    SerializationStrategy<T> {
    override val descriptor: SerialDescriptor
        get() = inner.descriptor

    override fun serialize(encoder: Encoder, value: T) = inner.serialize(OutOfBandEncoder(encoder, sink), value)
}

/** A byte array: an empty byte string in the body if [sink] takes it out of band, else its bytes. */
private class SegmentBytesSerializer(private val sink: SegmentSink) : SerializationStrategy<ByteArray> {
    override val descriptor: SerialDescriptor = descriptorOfSegmentBytes

    override fun serialize(encoder: Encoder, value: ByteArray) {
        encoder.encodeSerializableValue(plainBytes, if (sink.take(value)) EMPTY else value)
    }

    companion object {
        val EMPTY = ByteArray(0)
    }
}

/** The descriptor of a byte array that may travel out of band (not ByteArraySerializer's, see above). */
internal val descriptorOfSegmentBytes: SerialDescriptor =
    PrimitiveSerialDescriptor("io.asynccpu.SegmentBytes", PrimitiveKind.STRING)

private class OutOfBandEncoder(private val encoder: Encoder, private val sink: SegmentSink) : Encoder {
    override val serializersModule: SerializersModule
        get() = encoder.serializersModule

    override fun encodeNotNullMark() = encoder.encodeNotNullMark()

    override fun encodeNull() = encoder.encodeNull()

    override fun encodeBoolean(value: Boolean) = encoder.encodeBoolean(value)

    override fun encodeByte(value: Byte) = encoder.encodeByte(value)

    override fun encodeShort(value: Short) = encoder.encodeShort(value)

    override fun encodeChar(value: Char) = encoder.encodeChar(value)

    override fun encodeInt(value: Int) = encoder.encodeInt(value)

    override fun encodeLong(value: Long) = encoder.encodeLong(value)

    override fun encodeFloat(value: Float) = encoder.encodeFloat(value)

    override fun encodeDouble(value: Double) = encoder.encodeDouble(value)

    override fun encodeString(value: String) = encoder.encodeString(value)

    override fun encodeEnum(enumDescriptor: SerialDescriptor, index: Int) = encoder.encodeEnum(enumDescriptor, index)

    override fun encodeInline(descriptor: SerialDescriptor): Encoder =
        OutOfBandEncoder(encoder.encodeInline(descriptor), sink)

    override fun beginStructure(descriptor: SerialDescriptor): CompositeEncoder =
        OutOfBandCompositeEncoder(encoder.beginStructure(descriptor), sink)

    override fun beginCollection(descriptor: SerialDescriptor, collectionSize: Int): CompositeEncoder =
        OutOfBandCompositeEncoder(encoder.beginCollection(descriptor, collectionSize), sink)

    override fun <T> encodeSerializableValue(serializer: SerializationStrategy<T>, value: T) =
        encoder.encodeSerializableValue(sink.wrapped(serializer), value)

    override fun <T : Any> encodeNullableSerializableValue(serializer: SerializationStrategy<T>, value: T?) =
        encoder.encodeNullableSerializableValue(sink.wrapped(serializer), value)
}

private class OutOfBandCompositeEncoder(private val encoder: CompositeEncoder, private val sink: SegmentSink) :
    CompositeEncoder {
    override val serializersModule: SerializersModule
        get() = encoder.serializersModule

    override fun endStructure(descriptor: SerialDescriptor) = encoder.endStructure(descriptor)

    override fun shouldEncodeElementDefault(descriptor: SerialDescriptor, index: Int): Boolean =
        encoder.shouldEncodeElementDefault(descriptor, index)

    override fun encodeBooleanElement(descriptor: SerialDescriptor, index: Int, value: Boolean) =
        encoder.encodeBooleanElement(descriptor, index, value)

    override fun encodeByteElement(descriptor: SerialDescriptor, index: Int, value: Byte) =
        encoder.encodeByteElement(descriptor, index, value)

    override fun encodeShortElement(descriptor: SerialDescriptor, index: Int, value: Short) =
        encoder.encodeShortElement(descriptor, index, value)

    override fun encodeCharElement(descriptor: SerialDescriptor, index: Int, value: Char) =
        encoder.encodeCharElement(descriptor, index, value)

    override fun encodeIntElement(descriptor: SerialDescriptor, index: Int, value: Int) =
        encoder.encodeIntElement(descriptor, index, value)

    override fun encodeLongElement(descriptor: SerialDescriptor, index: Int, value: Long) =
        encoder.encodeLongElement(descriptor, index, value)

    override fun encodeFloatElement(descriptor: SerialDescriptor, index: Int, value: Float) =
        encoder.encodeFloatElement(descriptor, index, value)

    override fun encodeDoubleElement(descriptor: SerialDescriptor, index: Int, value: Double) =
        encoder.encodeDoubleElement(descriptor, index, value)

    override fun encodeStringElement(descriptor: SerialDescriptor, index: Int, value: String) =
        encoder.encodeStringElement(descriptor, index, value)

    override fun encodeInlineElement(descriptor: SerialDescriptor, index: Int): Encoder =
        OutOfBandEncoder(encoder.encodeInlineElement(descriptor, index), sink)

    override fun <T> encodeSerializableElement(
        descriptor: SerialDescriptor,
        index: Int,
        serializer: SerializationStrategy<T>,
        value: T,
    ) = encoder.encodeSerializableElement(descriptor, index, sink.wrapped(serializer), value)

    override fun <T : Any> encodeNullableSerializableElement(
        descriptor: SerialDescriptor,
        index: Int,
        serializer: SerializationStrategy<T>,
        value: T?,
    ) = encoder.encodeNullableSerializableElement(descriptor, index, sink.wrapped(serializer), value)
}
