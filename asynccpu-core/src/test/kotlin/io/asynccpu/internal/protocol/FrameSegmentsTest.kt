package io.asynccpu.internal.protocol

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayInputStream
import java.io.InputStream

/** Frames with out-of-band byte arrays (`Protocol`, "Out-of-band byte arrays"): round trips and hostile tables. */
class FrameSegmentsTest :
    FunSpec({
        fun written(vararg frames: Frame): ByteArray = writtenFrames(*frames)

        /** A RESULT frame with the segment flag: 8 bytes of run time, then [rest] (table, body, arrays) as given. */
        fun segmented(rest: ByteArray, length: Long = 8L + rest.size): ByteArray {
            val header = ByteArray(Protocol.HEADER_SIZE)
            BigEndian.putShort(header, 0, Protocol.MAGIC)
            header[2] = Protocol.TYPE_RESULT.toByte()
            header[3] = Protocol.FLAG_SEGMENTS.toByte()
            BigEndian.putInt(header, 4, length.toInt())
            BigEndian.putLong(header, 8, 1)
            return header + ByteArray(8) + rest
        }

        fun table(count: Long, vararg entries: Long): ByteArray {
            val t = ByteArray(4 + 4 * entries.size)
            BigEndian.putInt(t, 0, count.toInt())
            entries.forEachIndexed { i, v -> BigEndian.putInt(t, 4 + 4 * i, v.toInt()) }
            return t
        }

        fun read(bytes: ByteArray, max: Int = 1 shl 20) = FrameReader(ByteArrayInputStream(bytes), max).readFrame()

        test("a RUN and a RESULT with segments are read back: head, body, each array exactly its size, flags") {
            val a = ByteArray(200_000) { it.toByte() }
            val b = ByteArray(70_000) { (it * 3).toByte() }
            val run =
                Messages.run(
                    3,
                    RunHeader(RunHeader.KIND_TASK, "a.B").runHead(),
                    byteArrayOf(1, 2),
                    Segments(intArrayOf(0, 4), arrayOf(a, b)),
                    inlineAnswer = false,
                )
            val raw =
                Messages.run(4, RunHeader(RunHeader.KIND_TASK, "a.B").runHead(), byteArrayOf(9), inlineAnswer = true)
            val result = Messages.result(5, 77, ByteArray(0), Segments(intArrayOf(2), arrayOf(ByteArray(0))))
            val reader = FrameReader(ByteArrayInputStream(written(run, raw, result)), 1 shl 20)
            reader.readFrame()!!.let {
                Messages.parseRun(it).first.className shouldBe "a.B"
                it.body.toList() shouldBe listOf<Byte>(1, 2)
                it.segments!!.ordinals.toList() shouldBe listOf(0, 4)
                it.segments!!.arrays[0].contentEquals(a).shouldBeTrue()
                it.segments!!.arrays[1].contentEquals(b).shouldBeTrue()
                it.payloadSize shouldBe run.payloadSize
                it.inlineAnswer shouldBe false
            }
            reader.readFrame()!!.let {
                it.segments shouldBe null
                it.inlineAnswer shouldBe true
            }
            reader.readFrame()!!.let {
                Messages.resultRunNanos(it) shouldBe 77
                it.body.size shouldBe 0
                it.segments!!.arrays.single().size shouldBe 0
            }
            reader.readFrame() shouldBe null
        }

        test("a segment count of 0, or more entries than the payload can hold, is a protocol error") {
            shouldThrow<ProtocolException> { read(segmented(table(0))) }.message shouldContain "count"
            shouldThrow<ProtocolException> { read(segmented(table(2, 0, 1))) }.message shouldContain "count"
            shouldThrow<ProtocolException> { read(segmented(table(0xFFFFFFFFL))) }.message shouldContain "count"
            shouldThrow<ProtocolException> { read(segmented(ByteArray(2))) }.message shouldContain "too short"
        }

        test("segment lengths that overflow, or add up to more than the frame, are refused before allocating") {
            var served = 0
            fun endless(prefix: ByteArray) =
                object : InputStream() {
                    override fun read(): Int = if (served < prefix.size) prefix[served++].toInt() and 0xFF else 0
                }
            // Two 0xFFFFFFFF lengths: their sum overflows an int; the frame is only 100 bytes.
            val overflow = segmented(table(2, 0, 0xFFFFFFFFL, 1, 0xFFFFFFFFL), length = 100)
            val e = shouldThrow<ProtocolException> { FrameReader(endless(overflow), 1 shl 20).readFrame() }
            e.message shouldContain "longer than the frame"
            served shouldBe overflow.size // nothing read (or allocated) past the table
            // Lengths that fit an int each, but not the frame together.
            shouldThrow<ProtocolException> { read(segmented(table(2, 0, 30, 1, 30) + ByteArray(40))) }
        }

        test("a total over maxFrameSize is refused from the header, whatever the table says") {
            val big = segmented(table(1, 0, 10), length = 2048)
            shouldThrow<ProtocolException> { read(big, max = 1024) }.message shouldContain "above the limit"
        }

        test("ordinals that do not strictly increase, or do not fit an int, are a protocol error") {
            shouldThrow<ProtocolException> { read(segmented(table(2, 3, 0, 3, 0))) }.message shouldContain "ordinal"
            shouldThrow<ProtocolException> { read(segmented(table(2, 3, 0, 1, 0))) }.message shouldContain "ordinal"
            shouldThrow<ProtocolException> { read(segmented(table(1, 0x80000000L, 0))) }.message shouldContain "ordinal"
        }

        test("a stream that ends inside a segment is a protocol error") {
            val whole = segmented(table(1, 0, 10) + byteArrayOf(0x40) + ByteArray(10))
            read(whole)!!.segments!!.arrays.single().size shouldBe 10
            shouldThrow<ProtocolException> { read(whole.copyOf(whole.size - 3)) }.message shouldContain "ended"
        }
    })
