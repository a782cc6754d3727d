package io.asynccpu.internal.codec

import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.Segments
import io.asynccpu.userfunctions.appendLabel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.serialization.Serializable
import kotlinx.serialization.SerializationException
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.builtins.nullable
import kotlinx.serialization.builtins.serializer

@Serializable
class TwoArrays(
    val name: String,
    val big: ByteArray,
    val count: Int,
    val small: ByteArray,
    val maybe: ByteArray? = null,
    val nested: List<ByteArray> = emptyList(),
)

class OutOfBandTest :
    FunSpec({
        val large = OutOfBand.THRESHOLD
        fun bytes(size: Int, seed: Int = 1) = ByteArray(size) { (it * seed + 7).toByte() }

        test(
            "a 16 MiB top-level array travels as a segment: the caller's own array, an empty byte string in the body"
        ) {
            val payload = bytes(16 shl 20)
            val encoded = OutOfBand.encode(ByteArraySerializer().nullable, payload)
            val segments = encoded.segments!!
            segments.arrays.single() shouldBeSameInstanceAs payload
            segments.ordinals.toList() shouldBe listOf(0)
            encoded.body.size shouldBe 1 // 0x40: an empty byte string
            val decoded = OutOfBand.decode(ByteArraySerializer().nullable, encoded.body, segments)
            decoded shouldBeSameInstanceAs payload // the array the reader allocated is handed on, not copied
        }

        test("a class with two byte arrays and other fields: large ones out of band, small ones inline") {
            val value =
                TwoArrays(
                    "x",
                    bytes(large, 3),
                    42,
                    bytes(large - 1, 5),
                    maybe = bytes(large * 2, 7),
                    nested = listOf(bytes(10), bytes(large + 1, 11), ByteArray(0)),
                )
            val encoded = OutOfBand.encode(TwoArrays.serializer(), value)
            // Visit order: big (0), small (1), maybe (2), nested[0] (3), nested[1] (4), nested[2] (5).
            encoded.segments!!.ordinals.toList() shouldBe listOf(0, 2, 4)
            val back = OutOfBand.decode(TwoArrays.serializer(), encoded.body, encoded.segments)
            back.name shouldBe "x"
            back.count shouldBe 42
            back.big.contentEquals(value.big).shouldBeTrue()
            back.small.contentEquals(value.small).shouldBeTrue()
            back.maybe!!.contentEquals(value.maybe).shouldBeTrue()
            back.nested.map { it.toList() } shouldBe value.nested.map { it.toList() }
        }

        test("a null array, an empty array and small arrays stay in the body; no segments, plain CBOR") {
            val value = TwoArrays("y", ByteArray(0), 1, bytes(3), maybe = null)
            val encoded = OutOfBand.encode(TwoArrays.serializer(), value)
            encoded.segments shouldBe null
            encoded.body.toList() shouldBe ProtocolCbor.encodeToByteArray(TwoArrays.serializer(), value).toList()
            val back = OutOfBand.decode(TwoArrays.serializer(), encoded.body, null)
            back.big.size shouldBe 0
            back.maybe shouldBe null
        }

        test("a list of byte arrays") {
            val list = listOf(bytes(large), bytes(5), bytes(large * 3, 9))
            val serializer = ListSerializer(ByteArraySerializer())
            val encoded = OutOfBand.encode(serializer, list)
            encoded.segments!!.ordinals.toList() shouldBe listOf(0, 2)
            OutOfBand.decode(serializer, encoded.body, encoded.segments).map { it.toList() } shouldBe
                list.map { it.toList() }
        }

        test("with outOfBand = false every array stays in the body (bytes that must stand alone)") {
            val payload = bytes(large * 2)
            val encoded = OutOfBand.encode(ByteArraySerializer(), payload, outOfBand = false)
            encoded.segments shouldBe null
            ProtocolCbor.decodeFromByteArray(ByteArraySerializer(), encoded.body).contentEquals(payload).shouldBeTrue()
        }

        test("types that cannot hold a byte array are encoded as plain CBOR without a scan per call") {
            OutOfBand.mayHoldByteArray(Int.serializer().descriptor) shouldBe false
            OutOfBand.mayHoldByteArray(ListSerializer(String.serializer()).descriptor) shouldBe false
            OutOfBand.mayHoldByteArray(TwoArrays.serializer().descriptor) shouldBe true
            OutOfBand.encode(Int.serializer(), 5).segments shouldBe null
        }

        test("segments the body does not refer to, or an inline array where a segment stands, fail decoding") {
            val orphan = Segments(intArrayOf(1), arrayOf(bytes(4)))
            val single = ProtocolCbor.encodeToByteArray(ByteArraySerializer(), ByteArray(0))
            shouldThrow<SerializationException> { OutOfBand.decode(ByteArraySerializer(), single, orphan) }
            val inline = ProtocolCbor.encodeToByteArray(ByteArraySerializer(), bytes(3))
            val atZero = Segments(intArrayOf(0), arrayOf(bytes(4)))
            shouldThrow<SerializationException> { OutOfBand.decode(ByteArraySerializer(), inline, atZero) }
        }

        test("the arguments of a function call: a tuple holding an array") {
            val target = FunctionReferences.resolve(::appendLabel)
            val args = listOf(bytes(large * 4), "label")
            val encoded = OutOfBand.encode(target.argumentsSerializer, args)
            encoded.segments!!.count shouldBe 1
            val back = OutOfBand.decode(target.argumentsSerializer, encoded.body, encoded.segments)
            (back[0] as ByteArray).contentEquals(args[0] as ByteArray).shouldBeTrue()
            back[1] shouldBe "label"
        }
    })
