package io.asynccpu.internal.protocol

import java.io.ByteArrayOutputStream

/** The bytes a real [FrameWriter] puts on the wire for [frames], sent in order and flushed (test fixture). */
internal fun writtenFrames(vararg frames: Frame): ByteArray {
    val sink = ByteArrayOutputStream()
    val writer = FrameWriter("test-writer", open = { sink }, onFailure = { throw AssertionError(it) })
    frames.forEach(writer::send)
    check(writer.flush(10_000)) { "the writer did not flush within 10 s" }
    writer.close()
    return sink.toByteArray()
}
