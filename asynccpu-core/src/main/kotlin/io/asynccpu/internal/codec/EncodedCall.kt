package io.asynccpu.internal.codec

import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.internal.protocol.Segments
import kotlinx.serialization.KSerializer

/** A task or function call encoded in the caller's process, ready to be sent as a RUN frame. */
internal class EncodedCall(
    val header: RunHeader,
    val body: ByteArray,
    val resultSerializer: KSerializer<Any?>,
    /** How error messages name the call: "task SumOfSquares", "function cpuBound". */
    val description: String,
    /**
     * A call received already encoded from another process (`EncodedTask.fromWire`): the pool completes it with the
     * result's bytes and fails it with an `EncodedFailureException`.
     */
    val raw: Boolean = false,
    /**
     * The out-of-band byte arrays of [body] ([OutOfBand]): the caller's own arrays, written to the worker as they are
     * when the RUN frame is sent.
     */
    val segments: Segments? = null,
) {
    /** Bytes of the RUN payload besides its head: the body and the segments. */
    val payloadSize: Long
        get() = body.size.toLong() + (segments?.wireSize ?: 0L)
}

/** A decoded request in a worker: what to run and how to encode its result. */
internal class Invocation(
    val resultSerializer: KSerializer<Any?>,
    val description: String,
    /** A streaming request: [block] sends its items itself and the answer is STREAM_END, not RESULT. */
    val streaming: Boolean = false,
    val block: suspend () -> Any?,
)
