package io.asynccpu.internal.protocol

import java.io.EOFException
import java.io.InputStream

/**
 * Reads frames (layout in [Protocol]) from [input]. Not thread-safe: one reader thread per stream.
 *
 * Validates the header before allocating anything, so a corrupted or hostile stream cannot make it
 * allocate more than [maxFrameSize] bytes.
 */
internal class FrameReader(private val input: InputStream, private val maxFrameSize: Int) {
    private val header = ByteArray(Protocol.HEADER_SIZE)

    /**
     * Returns the next frame, or null at a clean end of stream (between two frames).
     * @throws ProtocolException for a malformed, oversized or truncated frame.
     */
    fun readFrame(): Frame? {
        val first = readFully(header, 0, Protocol.HEADER_SIZE, allowCleanEof = true)
        if (!first) return null
        val magic = ((header[0].toInt() and 0xFF) shl 8) or (header[1].toInt() and 0xFF)
        if (magic != Protocol.MAGIC) {
            throw ProtocolException(
                "bad frame magic 0x%04X (expected 0x%04X): the channel is corrupted".format(magic, Protocol.MAGIC),
            )
        }
        val type = header[2].toInt() and 0xFF
        if (!Protocol.isKnownType(type)) throw ProtocolException("unknown frame type $type")
        val flags = header[3].toInt() and 0xFF
        if (flags != 0) throw ProtocolException("unsupported frame flags 0x%02X".format(flags))
        val length = readInt(header, 4).toLong() and 0xFFFFFFFFL
        if (length > maxFrameSize) {
            throw ProtocolException(
                "${Protocol.typeName(type)} frame of $length bytes is above the limit of $maxFrameSize bytes",
            )
        }
        val id = readLong(header, 8)
        val total = length.toInt()
        // RUN and RESULT payloads start with a fixed prefix; reading it into the head and the rest into
        // the body lets Messages hand the body on without copying it (it can be many megabytes).
        val headSize = when {
            type == Protocol.TYPE_RESULT && total >= RESULT_HEAD -> RESULT_HEAD
            type == Protocol.TYPE_RUN && total >= 4 -> {
                readFully(header, 0, 4, allowCleanEof = false)
                val n = readInt(header, 0)
                if (n < 0 || n > total - 4) throw ProtocolException("RUN header length $n out of range")
                4 + n
            }
            else -> 0
        }
        val head = if (headSize == 0) Frame.EMPTY else ByteArray(headSize)
        if (type == Protocol.TYPE_RUN && headSize > 0) {
            header.copyInto(head, 0, 0, 4)
            readFully(head, 4, headSize - 4, allowCleanEof = false)
        } else if (headSize > 0) {
            readFully(head, 0, headSize, allowCleanEof = false)
        }
        val body = if (total == headSize) Frame.EMPTY else ByteArray(total - headSize)
        if (body.isNotEmpty()) readFully(body, 0, body.size, allowCleanEof = false)
        return Frame(type, id, head, body)
    }

    private fun readFully(buffer: ByteArray, offset: Int, length: Int, allowCleanEof: Boolean): Boolean {
        var read = 0
        while (read < length) {
            val n = try {
                // At most MAX_READ per call: FileInputStream mallocs a native buffer as large as the request.
                input.read(buffer, offset + read, minOf(length - read, MAX_READ))
            } catch (e: EOFException) {
                -1
            }
            if (n < 0) {
                if (read == 0 && allowCleanEof) return false
                throw ProtocolException("stream ended inside a frame ($read of $length bytes read)")
            }
            read += n
        }
        return true
    }

    companion object {
        /** A pipe holds 64 KiB; asking for more per read only makes the JDK allocate a bigger native buffer. */
        const val MAX_READ: Int = 64 * 1024

        /** A RESULT payload's prefix: the run time in nanoseconds. */
        const val RESULT_HEAD: Int = 8

        fun readInt(b: ByteArray, at: Int): Int =
            ((b[at].toInt() and 0xFF) shl 24) or ((b[at + 1].toInt() and 0xFF) shl 16) or
                ((b[at + 2].toInt() and 0xFF) shl 8) or (b[at + 3].toInt() and 0xFF)

        fun readLong(b: ByteArray, at: Int): Long =
            (readInt(b, at).toLong() shl 32) or (readInt(b, at + 4).toLong() and 0xFFFFFFFFL)
    }
}
