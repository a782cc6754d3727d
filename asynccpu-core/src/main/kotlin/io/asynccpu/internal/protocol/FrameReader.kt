package io.asynccpu.internal.protocol

import java.io.EOFException
import java.io.InputStream

/**
 * Reads frames (layout in [Protocol]) from [input]. Not thread-safe: one reader thread per stream.
 *
 * Validates the header before allocating anything, so a corrupted or hostile stream cannot make it allocate more than
 * [maxFrameSize] bytes.
 */
internal class FrameReader(private val input: InputStream, private val maxFrameSize: Int) {
    private val header = ByteArray(Protocol.HEADER_SIZE)

    /**
     * Returns the next frame, or null at a clean end of stream (between two frames).
     *
     * @throws ProtocolException for a malformed, oversized or truncated frame.
     */
    fun readFrame(): Frame? {
        val first = readFully(header, 0, Protocol.HEADER_SIZE, allowCleanEof = true)
        if (!first) return null
        val magic = BigEndian.readUnsignedShort(header, 0)
        if (magic != Protocol.MAGIC) {
            throw ProtocolException(
                "bad frame magic 0x%04X (expected 0x%04X): the channel is corrupted".format(magic, Protocol.MAGIC)
            )
        }
        val type = header[2].toInt() and 0xFF
        if (!Protocol.isKnownType(type)) throw ProtocolException("unknown frame type $type")
        val flags = header[3].toInt() and 0xFF
        if (flags != 0) throw ProtocolException("unsupported frame flags 0x%02X".format(flags))
        val length = BigEndian.readUnsignedInt(header, 4)
        if (!Protocol.fits(length, maxFrameSize)) {
            throw ProtocolException(
                "${Protocol.typeName(type)} frame of $length bytes is above the limit of $maxFrameSize bytes"
            )
        }
        val id = BigEndian.readLong(header, 8)
        val total = length.toInt()
        val head = readHead(type, total)
        val body = if (total == head.size) Frame.EMPTY else ByteArray(total - head.size)
        if (body.isNotEmpty()) readFully(body, 0, body.size, allowCleanEof = false)
        return Frame(type, id, head, body)
    }

    /**
     * Reads the head of a [type] payload of [total] bytes, split as [Protocol] lays it out (so parsers have one path,
     * and a large body is handed on without a copy). A payload too short for its head keeps everything in the body; its
     * parser refuses it.
     */
    private fun readHead(type: Int, total: Int): ByteArray {
        val fixed = Protocol.fixedHead(type)
        if (fixed > 0) {
            if (total < fixed) return Frame.EMPTY
            return ByteArray(fixed).also { readFully(it, 0, fixed, allowCleanEof = false) }
        }
        val prefix = Protocol.headPrefix(type)
        if (prefix == 0 || total < prefix) return Frame.EMPTY
        readFully(header, 0, prefix, allowCleanEof = false)
        val n = if (prefix == 4) BigEndian.readInt(header, 0) else BigEndian.readUnsignedShort(header, 0)
        if (n < 0 || n > total - prefix || n > Protocol.maxHeadLength(type)) {
            throw ProtocolException("${Protocol.typeName(type)} header length $n out of range")
        }
        val head = ByteArray(prefix + n)
        header.copyInto(head, 0, 0, prefix)
        readFully(head, prefix, n, allowCleanEof = false)
        return head
    }

    private fun readFully(buffer: ByteArray, offset: Int, length: Int, allowCleanEof: Boolean): Boolean {
        var read = 0
        while (read < length) {
            val n =
                try {
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
    }
}
