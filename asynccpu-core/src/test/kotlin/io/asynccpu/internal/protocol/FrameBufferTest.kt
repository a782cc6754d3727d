package io.asynccpu.internal.protocol

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.InputStream

class FrameBufferTest :
    FunSpec({
        fun encoded(vararg frames: Frame): ByteArray = writtenFrames(*frames)

        /** Hands out [bytes] in the given slices, one slice per read, like a pipe that received them in parts. */
        fun slices(bytes: ByteArray, vararg sizes: Int) =
            object : InputStream() {
                val ends = sizes.runningReduce(Int::plus).toMutableList().also { it += bytes.size }
                var at = 0

                override fun read(): Int = if (at < bytes.size) bytes[at++].toInt() and 0xFF else -1

                override fun read(b: ByteArray, off: Int, len: Int): Int {
                    if (at >= bytes.size) return -1
                    val end = minOf(ends.first { it > at }, at + len)
                    val n = end - at
                    bytes.copyInto(b, off, at, end)
                    at = end
                    return n
                }
            }

        test("a complete next frame in the buffer is reported, a partial one is not") {
            val small = Messages.result(1, 0, byteArrayOf(1, 2, 3))
            val bytes = encoded(small, small, small)
            val frameSize = bytes.size / 3
            // First read: one frame and a half; second read: the rest.
            val buffer = FrameBuffer(slices(bytes, frameSize + frameSize / 2))
            val reader = FrameReader(buffer, 1024)
            reader.readFrame()!!.id shouldBe 1
            buffer.hasBufferedFrame() shouldBe false // half of the second frame
            reader.readFrame()!!.id shouldBe 1
            buffer.hasBufferedFrame() shouldBe true // the third arrived whole with the rest of the second
            reader.readFrame()!!.id shouldBe 1
            buffer.hasBufferedFrame() shouldBe false
            reader.readFrame() shouldBe null
        }

        test("a header whose payload is not here yet is not a buffered frame") {
            val big = Messages.result(2, 0, ByteArray(10_000))
            val small = Messages.control(Protocol.TYPE_CANCELLED, 3)
            val bytes = encoded(small, big)
            val buffer = FrameBuffer(slices(bytes, Protocol.HEADER_SIZE + Protocol.HEADER_SIZE + 10))
            val reader = FrameReader(buffer, 1 shl 20)
            reader.readFrame()!!.id shouldBe 3
            buffer.hasBufferedFrame() shouldBe false
            reader.readFrame()!!.id shouldBe 2
        }

        test("an empty buffer holds no frame") { FrameBuffer(slices(ByteArray(0))).hasBufferedFrame() shouldBe false }
    })
