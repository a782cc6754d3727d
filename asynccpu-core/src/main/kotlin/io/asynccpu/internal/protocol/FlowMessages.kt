package io.asynccpu.internal.protocol

import kotlinx.serialization.Serializable
import kotlinx.serialization.encodeToByteArray

/** Payload of PROGRESS: how far a running request is, as its task reported it. */
@Serializable internal class ProgressReport(val value: Double, val message: String = "")

/**
 * Builds and parses the frames of streaming requests and progress reports (CREDIT, STREAM_ITEM, STREAM_END, PROGRESS;
 * layouts in [Protocol]). Kept apart from [Messages], which holds the request/answer frames every task uses.
 */
internal object FlowMessages {
    fun credit(id: Long, items: Int): Frame {
        val head = ByteArray(Protocol.CREDIT_HEAD)
        BigEndian.putInt(head, 0, items)
        return Frame(Protocol.TYPE_CREDIT, id, head)
    }

    fun parseCredit(frame: Frame): Int {
        if (frame.head.size != Protocol.CREDIT_HEAD || frame.body.isNotEmpty()) {
            throw ProtocolException("CREDIT frame of ${frame.payloadSize} bytes, expected ${Protocol.CREDIT_HEAD}")
        }
        val n = BigEndian.readInt(frame.head, 0)
        if (n <= 0) throw ProtocolException("CREDIT of $n items")
        return n
    }

    fun streamItem(id: Long, body: ByteArray): Frame = Frame(Protocol.TYPE_STREAM_ITEM, id, body = body)

    fun streamEnd(id: Long): Frame = Frame(Protocol.TYPE_STREAM_END, id)

    fun progress(id: Long, report: ProgressReport): Frame =
        Frame(Protocol.TYPE_PROGRESS, id, body = ProtocolCbor.encodeToByteArray(report))

    fun parseProgress(frame: Frame): ProgressReport = Messages.decode("PROGRESS", frame.body)
}
