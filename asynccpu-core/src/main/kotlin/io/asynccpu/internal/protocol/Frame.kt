package io.asynccpu.internal.protocol

/**
 * One frame: [type] and [id] from the header, and a payload made of [head] followed by [body] (kept apart so that a
 * large body is written without being copied next to its small head). Frames read from the wire are split the same way
 * as [Messages] builds them: a RUN's u32 length and CBOR header, and a RESULT's run time, are the [head]; the rest is
 * the [body]. Other frames have everything in [body] and an empty [head].
 */
internal class Frame(val type: Int, val id: Long, val head: ByteArray = EMPTY, val body: ByteArray = EMPTY) {
    val payloadSize: Long
        get() = head.size.toLong() + body.size

    override fun toString(): String = "Frame(${Protocol.typeName(type)}, id=$id, ${payloadSize}B)"

    companion object {
        val EMPTY: ByteArray = ByteArray(0)
    }
}
