package io.asynccpu.internal.protocol

import java.io.BufferedInputStream
import java.io.InputStream

/**
 * A reader's input buffer that can tell, without a system call, whether the bytes it holds and that were not read yet
 * contain a whole frame (layout in [Protocol]).
 *
 * The parent's reader uses it to hand a batch of answers to the pool at once: while the next frame is already here in
 * full it can be handled right away, so refilling the worker waits for it; a frame only partly here may be followed by
 * a long wait for the rest, so it never holds anything back.
 */
internal class FrameBuffer(input: InputStream, size: Int = 64 * 1024) : BufferedInputStream(input, size) {
    /** Whether the unread buffered bytes hold at least one complete frame (header and payload). */
    @Synchronized
    fun hasBufferedFrame(): Boolean {
        val available = count - pos
        if (available < Protocol.HEADER_SIZE) return false
        val length = BigEndian.readUnsignedInt(buf, pos + 4)
        return length <= available - Protocol.HEADER_SIZE
    }
}
