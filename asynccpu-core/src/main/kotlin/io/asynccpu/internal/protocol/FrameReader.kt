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
        val payload = if (length == 0L) Frame.EMPTY else ByteArray(length.toInt())
        if (payload.isNotEmpty()) readFully(payload, 0, payload.size, allowCleanEof = false)
        return Frame(type, id, body = payload)
    }

    private fun readFully(buffer: ByteArray, offset: Int, length: Int, allowCleanEof: Boolean): Boolean {
        var read = 0
        while (read < length) {
            val n = try {
                input.read(buffer, offset + read, length - read)
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
        fun readInt(b: ByteArray, at: Int): Int =
            ((b[at].toInt() and 0xFF) shl 24) or ((b[at + 1].toInt() and 0xFF) shl 16) or
                ((b[at + 2].toInt() and 0xFF) shl 8) or (b[at + 3].toInt() and 0xFF)

        fun readLong(b: ByteArray, at: Int): Long =
            (readInt(b, at).toLong() shl 32) or (readInt(b, at + 4).toLong() and 0xFFFFFFFFL)
    }
}
