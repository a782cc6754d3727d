package io.asynccpu.internal.protocol

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** Records each call of a [ParentBoundFrames.Handler] as text. */
internal class RecordingParentSide : ParentBoundFrames.Handler {
    val calls = ArrayList<String>()

    override fun hello(hello: Hello) {
        calls += "hello ${hello.pid}"
    }

    override fun result(frame: Frame, runNanos: Long, moreBuffered: Boolean) {
        calls += "result ${frame.id} $runNanos ${frame.body.toList()} $moreBuffered"
    }

    override fun failure(id: Long, failure: RemoteFailure, body: ByteArray, moreBuffered: Boolean) {
        calls += "failure $id ${failure.className} ${body.size > 0} $moreBuffered"
    }

    override fun cancelled(id: Long, moreBuffered: Boolean) {
        calls += "cancelled $id $moreBuffered"
    }

    override fun streamItem(id: Long, body: ByteArray) {
        calls += "item $id ${body.toList()}"
    }

    override fun streamEnd(id: Long, moreBuffered: Boolean) {
        calls += "end $id $moreBuffered"
    }

    override fun progress(id: Long, report: ProgressReport) {
        calls += "progress $id ${report.value} ${report.message}"
    }

    override fun fatal(description: String) {
        calls += "fatal $description"
    }

    override fun side(topic: String, payload: ByteArray) {
        calls += "side $topic ${payload.toList()}"
    }
}

class ParentBoundFramesTest :
    FunSpec({
        test("each frame a worker sends reaches its handler method decoded, with moreBuffered passed to answers") {
            val side = RecordingParentSide()
            listOf(
                    Messages.hello(Hello(42, "17")),
                    Messages.result(1, 99, byteArrayOf(5)),
                    Messages.failure(2, RemoteFailure("x.Boom", "boom")),
                    Messages.control(Protocol.TYPE_CANCELLED, 3),
                    FlowMessages.streamItem(4, byteArrayOf(6)),
                    FlowMessages.streamEnd(4),
                    FlowMessages.progress(5, ProgressReport(0.5, "half")),
                    Messages.fatal("OutOfMemoryError"),
                    Messages.side("log", byteArrayOf(7)),
                )
                .forEach { ParentBoundFrames.dispatch(it, moreBuffered = true, to = side) }
            side.calls shouldBe
                listOf(
                    "hello 42",
                    "result 1 99 [5] true",
                    "failure 2 x.Boom true true",
                    "cancelled 3 true",
                    "item 4 [6]",
                    "end 4 true",
                    "progress 5 0.5 half",
                    "fatal OutOfMemoryError",
                    "side log [7]",
                )
        }

        test("a frame type only the pool sends, or a malformed payload, is a protocol error and reaches no handler") {
            val side = RecordingParentSide()
            val bad =
                listOf(
                    Messages.run(1, RunHeader(RunHeader.KIND_TASK, "a.B"), ByteArray(0)),
                    FlowMessages.credit(1, 4),
                    Messages.control(Protocol.TYPE_SHUTDOWN),
                    Frame(Protocol.TYPE_RESULT, 1, body = ByteArray(3)),
                    Frame(Protocol.TYPE_FAILURE, 1, body = byteArrayOf(0x42)),
                    Frame(Protocol.TYPE_PROGRESS, 1, body = byteArrayOf(0x42)),
                    Frame(Protocol.TYPE_HELLO, 0, body = byteArrayOf(0x42)),
                    Frame(Protocol.TYPE_SIDE, 0, head = byteArrayOf(0, 9, 1)),
                )
            for (frame in bad) {
                val e =
                    shouldThrow<ProtocolException> {
                        ParentBoundFrames.dispatch(frame, moreBuffered = false, to = side)
                    }
                e.message shouldContain Protocol.typeName(frame.type).take(3)
            }
            side.calls shouldBe emptyList()
        }
    })
