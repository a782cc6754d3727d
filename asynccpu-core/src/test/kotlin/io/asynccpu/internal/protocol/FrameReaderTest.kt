package io.asynccpu.internal.protocol

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.InputStream

class FrameReaderTest :
    FunSpec({
        fun header(
            magic: Int = Protocol.MAGIC,
            type: Int = Protocol.TYPE_RESULT,
            flags: Int = 0,
            length: Long = 0,
            id: Long = 7,
        ): ByteArray {
            val out = ByteArrayOutputStream()
            out.write(magic ushr 8)
            out.write(magic and 0xFF)
            out.write(type)
            out.write(flags)
            for (shift in 24 downTo 0 step 8) out.write((length ushr shift).toInt() and 0xFF)
            for (shift in 56 downTo 0 step 8) out.write((id ushr shift).toInt() and 0xFF)
            return out.toByteArray()
        }

        fun reader(bytes: ByteArray, max: Int = 1024) = FrameReader(ByteArrayInputStream(bytes), max)

        test("frames written by FrameWriter are read back with type, id and payload") {
            val r =
                reader(
                    writtenFrames(
                        Messages.result(42, 1234, byteArrayOf(1, 2, 3)),
                        Messages.control(Protocol.TYPE_CANCEL, 9),
                        Messages.side("topic", byteArrayOf(9)),
                    )
                )
            val result = r.readFrame()!!
            result.type shouldBe Protocol.TYPE_RESULT
            result.id shouldBe 42
            Messages.resultRunNanos(result) shouldBe 1234
            Messages.resultBody(result).toList() shouldBe listOf<Byte>(1, 2, 3)
            r.readFrame()!!.let {
                it.type shouldBe Protocol.TYPE_CANCEL
                it.id shouldBe 9
            }
            Messages.parseSide(r.readFrame()!!).let { (topic, payload) ->
                topic shouldBe "topic"
                payload.toList() shouldBe listOf<Byte>(9)
            }
            r.readFrame() shouldBe null
        }

        test("a clean end of stream between frames reads as null") { reader(ByteArray(0)).readFrame() shouldBe null }

        test("a bad magic marker is a protocol error") {
            val e = shouldThrow<ProtocolException> { reader(header(magic = 0x1234)).readFrame() }
            e.message shouldContain "magic"
        }

        test("printable garbage is a protocol error, not a frame") {
            shouldThrow<ProtocolException> { reader("hello world from a stray println\n".toByteArray()).readFrame() }
        }

        test("an unknown frame type is a protocol error") {
            shouldThrow<ProtocolException> { reader(header(type = 99)).readFrame() }.message shouldContain "type"
        }

        test("unknown flags, or flags on a type that takes none, are a protocol error") {
            shouldThrow<ProtocolException> { reader(header(flags = 4)).readFrame() }.message shouldContain "flags"
            shouldThrow<ProtocolException> { reader(header(type = Protocol.TYPE_CANCEL, flags = 1)).readFrame() }
                .message shouldContain "flags"
            shouldThrow<ProtocolException> { reader(header(flags = Protocol.FLAG_INLINE_ANSWER)).readFrame() }
        }

        test("a length above the limit is refused before anything is allocated") {
            var read = 0
            val endless =
                object : InputStream() {
                    val head = header(length = 0xFFFFFFFFL)

                    override fun read(): Int = if (read < head.size) head[read++].toInt() and 0xFF else 0
                }
            val e = shouldThrow<ProtocolException> { FrameReader(endless, 1024).readFrame() }
            e.message shouldContain "above the limit"
            read shouldBe Protocol.HEADER_SIZE
        }

        test("a stream that ends inside a header or a payload is a protocol error") {
            shouldThrow<ProtocolException> { reader(header().copyOf(7)).readFrame() }
            shouldThrow<ProtocolException> { reader(header(length = 10) + ByteArray(4)).readFrame() }
        }

        fun frame(type: Int, payload: ByteArray, max: Int = 1024): Frame? =
            runCatching { reader(header(type = type, length = payload.size.toLong()) + payload, max).readFrame() }
                .getOrElse { if (it is ProtocolException) null else throw it }

        test("malformed payloads of each frame type are protocol errors, whether the reader or the parser finds them") {
            shouldThrow<ProtocolException> { Messages.parseRun(frame(Protocol.TYPE_RUN, byteArrayOf(0, 0))!!) }
            frame(Protocol.TYPE_RUN, byteArrayOf(0x7F, 0, 0, 0, 1)) shouldBe null // head length beyond the payload
            shouldThrow<ProtocolException> { Messages.resultRunNanos(frame(Protocol.TYPE_RESULT, ByteArray(3))!!) }
            frame(Protocol.TYPE_SIDE, byteArrayOf(0x7F, 0x7F, 1)) shouldBe null // topic length beyond the limit
            shouldThrow<ProtocolException> { FlowMessages.parseCredit(frame(Protocol.TYPE_CREDIT, ByteArray(5))!!) }
            shouldThrow<ProtocolException> { Messages.parseFailure(frame(Protocol.TYPE_FAILURE, byteArrayOf(0x42))!!) }
            shouldThrow<ProtocolException> {
                FlowMessages.parseProgress(frame(Protocol.TYPE_PROGRESS, byteArrayOf(0x42))!!)
            }
        }

        test("each frame type is split into head and body the same way by its builder and by the reader") {
            val built =
                listOf(
                    Messages.run(3, RunHeader(RunHeader.KIND_TASK, "a.B"), byteArrayOf(1, 2)),
                    Messages.result(4, 99, byteArrayOf(5)),
                    Messages.side("log", byteArrayOf(6, 7)),
                    FlowMessages.credit(5, 32),
                    FlowMessages.progress(6, ProgressReport(0.5, "half")),
                    Messages.control(Protocol.TYPE_CANCEL, 7),
                )
            val r = reader(writtenFrames(*built.toTypedArray()))
            for (expected in built) {
                val read = r.readFrame()!!
                read.type shouldBe expected.type
                read.id shouldBe expected.id
                read.head.toList() shouldBe expected.head.toList()
                read.body.toList() shouldBe expected.body.toList()
            }
            Messages.parseRun(built[0]).first.className shouldBe "a.B"
            FlowMessages.parseCredit(built[3]) shouldBe 32
        }
    })
