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
        if (flags and Protocol.allowedFlags(type).inv() != 0) {
            throw ProtocolException("unsupported flags 0x%02X on a ${Protocol.typeName(type)} frame".format(flags))
        }
        val length = BigEndian.readUnsignedInt(header, 4)
        if (!Protocol.fits(length, maxFrameSize)) {
            throw ProtocolException(
                "${Protocol.typeName(type)} frame of $length bytes is above the limit of $maxFrameSize bytes"
            )
        }
        val id = BigEndian.readLong(header, 8)
        val total = length.toInt()
        val head = readHead(type, total)
        val inline = flags and Protocol.FLAG_INLINE_ANSWER != 0
        if (flags and Protocol.FLAG_SEGMENTS != 0) return readSegmented(type, id, head, total - head.size, inline)
        val body = if (total == head.size) Frame.EMPTY else ByteArray(total - head.size)
        if (body.isNotEmpty()) readFully(body, 0, body.size, allowCleanEof = false)
        return Frame(type, id, head, body, inlineAnswer = inline)
    }

    /**
     * Reads the segment table, body and segments ([Protocol], "Out-of-band byte arrays") of a payload with [rest] bytes
     * after its head. The table is checked against [rest] before the body or any segment is allocated, and each array
     * is read straight into an array of exactly its size.
     */
    private fun readSegmented(type: Int, id: Long, head: ByteArray, rest: Int, inline: Boolean): Frame {
        val what = Protocol.typeName(type)
        if (rest < 4) throw ProtocolException("$what frame too short for its segment table")
        readFully(header, 0, 4, allowCleanEof = false)
        val count = BigEndian.readUnsignedInt(header, 0)
        if (count < 1 || 4L + 8L * count > rest) {
            throw ProtocolException("$what segment count $count out of range")
        }
        val n = count.toInt()
        val table = ByteArray(8 * n)
        readFully(table, 0, table.size, allowCleanEof = false)
        val ordinals = IntArray(n)
        var arrays = rest - Protocol.segmentTableSize(n)
        for (i in 0 until n) {
            val ordinal = BigEndian.readUnsignedInt(table, 8 * i)
            val length = BigEndian.readUnsignedInt(table, 8 * i + 4)
            if (ordinal > Int.MAX_VALUE || (i > 0 && ordinal <= ordinals[i - 1])) {
                throw ProtocolException("$what segment ordinal $ordinal out of order")
            }
            if (length > arrays) throw ProtocolException("$what segments longer than the frame")
            arrays -= length
            ordinals[i] = ordinal.toInt()
        }
        val body = if (arrays == 0L) Frame.EMPTY else ByteArray(arrays.toInt())
        if (body.isNotEmpty()) readFully(body, 0, body.size, allowCleanEof = false)
        val segments =
            Array(n) { i ->
                val array = ByteArray(BigEndian.readInt(table, 8 * i + 4))
                readFully(array, 0, array.size, allowCleanEof = false)
                array
            }
        return Frame(type, id, head, body, Segments(ordinals, segments), inline)
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
