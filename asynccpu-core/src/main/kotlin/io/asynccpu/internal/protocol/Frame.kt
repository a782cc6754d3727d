package io.asynccpu.internal.protocol

/**
 * One frame: [type] and [id] from the header, and a payload made of [head] followed by [body] (kept apart so that a
 * large body is written without being copied next to its small head). Frames read from the wire are split the same way
 * as [Messages] builds them: a RUN's u32 length and CBOR header, and a RESULT's run time, are the [head]; the rest is
 * the [body]. Other frames have everything in [body] and an empty [head].
 *
 * A RUN or RESULT may also carry [segments], the out-of-band byte arrays of its body (flag [Protocol.FLAG_SEGMENTS]),
 * and a RUN may ask for an answer without them ([inlineAnswer], flag [Protocol.FLAG_INLINE_ANSWER]).
 */
internal class Frame(
    val type: Int,
    val id: Long,
    val head: ByteArray = EMPTY,
    val body: ByteArray = EMPTY,
    val segments: Segments? = null,
    val inlineAnswer: Boolean = false,
) {
    val payloadSize: Long
        get() = head.size.toLong() + body.size + (segments?.wireSize ?: 0L)

    /** The header's flags byte. */
    val flags: Int
        get() =
            (if (segments != null) Protocol.FLAG_SEGMENTS else 0) or
                (if (inlineAnswer) Protocol.FLAG_INLINE_ANSWER else 0)

    override fun toString(): String =
        "Frame(${Protocol.typeName(type)}, id=$id, ${payloadSize}B${segments?.let { ", ${it.count} segments" } ?: ""})"

    companion object {
        val EMPTY: ByteArray = ByteArray(0)
    }
}
