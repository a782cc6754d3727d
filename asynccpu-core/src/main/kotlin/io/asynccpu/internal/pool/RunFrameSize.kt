package io.asynccpu.internal.pool

import io.asynccpu.FrameTooLargeException
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.protocol.Protocol

/**
 * The frame-size rule ([Protocol.fits]) applied at submit: a call whose RUN frame would be larger than `maxFrameSize`
 * is refused on the caller's thread, before it is queued, instead of failing in a worker.
 */
internal object RunFrameSize {
    /** Room for a RUN frame's head besides the class name (u32 length, CBOR framing, other fields). */
    private const val RUN_HEAD_ALLOWANCE = 64L

    /**
     * Returns [encoded] if its RUN frame fits [maxFrameSize]; else throws [FrameTooLargeException] saying what to do.
     */
    fun check(encoded: EncodedCall, maxFrameSize: Int): EncodedCall {
        val size = encoded.payloadSize + RUN_HEAD_ALLOWANCE + encoded.header.className.length
        if (!Protocol.fits(size, maxFrameSize)) {
            throw FrameTooLargeException(
                "${encoded.description} encodes to $size bytes, above maxFrameSize ($maxFrameSize bytes): " +
                    "raise maxFrameSize in the pool configuration, or pass large data by reference (a file path).",
                size,
                maxFrameSize,
            )
        }
        return encoded
    }
}
