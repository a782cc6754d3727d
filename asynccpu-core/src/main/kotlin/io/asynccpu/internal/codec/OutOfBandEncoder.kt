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

/** The CBOR encoder [encoder], with every serializer it is handed wrapped (all other calls go straight to it). */
private class OutOfBandEncoder(private val encoder: Encoder, private val sink: SegmentSink) : Encoder by encoder {
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

/** The same for a structure: its elements' serializers are wrapped. */
private class OutOfBandCompositeEncoder(private val encoder: CompositeEncoder, private val sink: SegmentSink) :
    CompositeEncoder by encoder {
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
