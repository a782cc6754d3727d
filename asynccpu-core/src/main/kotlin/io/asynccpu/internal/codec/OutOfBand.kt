@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.internal.codec

import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.Segments
import java.util.Collections
import java.util.IdentityHashMap
import java.util.concurrent.ConcurrentHashMap
import kotlinx.serialization.DeserializationStrategy
import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.SerializationException
import kotlinx.serialization.SerializationStrategy
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.descriptors.PolymorphicKind
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.descriptors.SerialKind

/**
 * CBOR encoding with out-of-band byte arrays (frame layout in `Protocol`, "Out-of-band byte arrays"): every non-null
 * `ByteArray` of at least [THRESHOLD] bytes that the serializers meet is left out of the CBOR body (an empty byte
 * string stands in its place) and returned as a segment, the caller's array itself, not a copy. Decoding takes the
 * segments' arrays as they are. Smaller arrays, and types that cannot hold a `ByteArray`, are encoded as plain CBOR at
 * no extra cost; a body without segments decodes as plain CBOR.
 */
internal object OutOfBand {
    /** Byte arrays at least this large travel as segments. */
    const val THRESHOLD: Int = 64 * 1024

    /** A CBOR body and the out-of-band arrays it refers to (null: none). */
    class Encoded(val body: ByteArray, val segments: Segments?)

    private val byteArrayDescriptor = ByteArraySerializer().descriptor
    private val scanned = ConcurrentHashMap<SerialDescriptor, Boolean>()

    /**
     * Encodes [value]; with [outOfBand] false (bytes that must stand alone, such as an `EncodedTask`'s) every array
     * stays in the body. Throws what the serializer throws.
     */
    fun <T> encode(serializer: SerializationStrategy<T>, value: T, outOfBand: Boolean = true): Encoded {
        if (!outOfBand || !mayHoldByteArray(serializer.descriptor)) {
            return Encoded(ProtocolCbor.encodeToByteArray(serializer, value), null)
        }
        val sink = SegmentSink()
        val body = ProtocolCbor.encodeToByteArray(sink.wrapped(serializer), value)
        return Encoded(body, sink.segments())
    }

    /**
     * Decodes [body] with its [segments]. @throws SerializationException for malformed bytes, or segments the body does
     * not refer to.
     */
    fun <T> decode(deserializer: DeserializationStrategy<T>, body: ByteArray, segments: Segments?): T {
        if (segments == null) return ProtocolCbor.decodeFromByteArray(deserializer, body)
        val source = SegmentSource(segments)
        val value = ProtocolCbor.decodeFromByteArray(source.wrapped(deserializer), body)
        source.checkAllTaken()
        return value
    }

    fun isByteArray(descriptor: SerialDescriptor): Boolean = descriptor == byteArrayDescriptor

    /**
     * Whether a value of [descriptor]'s type may hold a `ByteArray` (polymorphic and contextual parts may); computed
     * once per descriptor.
     */
    fun mayHoldByteArray(descriptor: SerialDescriptor): Boolean =
        scanned[descriptor]
            ?: scan(descriptor, Collections.newSetFromMap(IdentityHashMap())).also {
                if (scanned.size >= MAX_SCANNED) scanned.clear()
                scanned[descriptor] = it
            }

    private fun scan(descriptor: SerialDescriptor, seen: MutableSet<SerialDescriptor>): Boolean {
        if (isByteArray(descriptor) || descriptor.serialName == "kotlin.ByteArray?") return true
        if (descriptor.kind is PolymorphicKind || descriptor.kind == SerialKind.CONTEXTUAL) return true
        if (!seen.add(descriptor)) return false
        return try {
            (0 until descriptor.elementsCount).any { scan(descriptor.getElementDescriptor(it), seen) }
        } catch (e: RuntimeException) {
            true // a descriptor that cannot list its elements: assume it may
        }
    }

    private const val MAX_SCANNED = 4096
}

/** Collects the out-of-band arrays of one encoding, in the order the serializers meet byte arrays. */
internal class SegmentSink {
    private var visits = 0
    private var ordinals = IntArray(2)
    private val arrays = ArrayList<ByteArray>(2)

    /** Called for every non-null byte array encoded: returns true if [array] is taken out of band. */
    fun take(array: ByteArray): Boolean {
        val ordinal = visits++
        if (array.size < OutOfBand.THRESHOLD) return false
        if (arrays.size == ordinals.size) ordinals = ordinals.copyOf(ordinals.size * 2)
        ordinals[arrays.size] = ordinal
        arrays += array
        return true
    }

    fun segments(): Segments? =
        if (arrays.isEmpty()) null else Segments(ordinals.copyOf(arrays.size), arrays.toTypedArray())
}

/** Hands the out-of-band arrays of one frame to the byte arrays the deserializers meet, by ordinal. */
internal class SegmentSource(private val segments: Segments) {
    private var visits = 0
    private var next = 0

    /** Called for every non-null byte array decoded, with what the body holds: returns the array it stands for. */
    fun take(inline: ByteArray): ByteArray {
        val ordinal = visits++
        if (next == segments.count || segments.ordinals[next] != ordinal) return inline
        if (inline.isNotEmpty()) throw SerializationException("byte array $ordinal is both in the body and a segment")
        return segments.arrays[next++]
    }

    fun checkAllTaken() {
        if (next != segments.count) {
            throw SerializationException("${segments.count - next} of ${segments.count} segments are not referred to")
        }
    }
}
