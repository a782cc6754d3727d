package io.asynccpu.internal.protocol

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs

/** Records each call of a [WorkerBoundFrames.Handler] as text. */
internal class RecordingWorkerSide : WorkerBoundFrames.Handler {
    val calls = ArrayList<String>()
    val runs = ArrayList<Frame>()

    override fun run(frame: Frame) {
        runs += frame
        calls += "run ${frame.id} ${frame.body.toList()}"
    }

    override fun cancel(id: Long) {
        calls += "cancel $id"
    }

    override fun credit(id: Long, items: Int) {
        calls += "credit $id $items"
    }

    override fun side(topic: String, payload: ByteArray) {
        calls += "side $topic ${payload.toList()}"
    }

    override fun shutdown() {
        calls += "shutdown"
    }

    override fun unexpected(type: Int) {
        calls += "unexpected ${Protocol.typeName(type)}"
    }
}

class WorkerBoundFramesTest :
    FunSpec({
        test("each frame the pool sends reaches its handler method decoded; RUN is handed on as read, undecoded") {
            val side = RecordingWorkerSide()
            val run = Messages.run(1, RunHeader(RunHeader.KIND_TASK, "a.B"), byteArrayOf(1, 2))
            listOf(
                    run,
                    Messages.control(Protocol.TYPE_CANCEL, 1),
                    FlowMessages.credit(2, 32),
                    Messages.side("asynccpu.log.levels", byteArrayOf(3)),
                    Messages.control(Protocol.TYPE_SHUTDOWN),
                )
                .forEach { WorkerBoundFrames.dispatch(it, side) }
            side.calls shouldBe
                listOf("run 1 [1, 2]", "cancel 1", "credit 2 32", "side asynccpu.log.levels [3]", "shutdown")
            side.runs.single() shouldBeSameInstanceAs run
            Messages.parseRunHeader(side.runs.single().head).className shouldBe "a.B"
        }

        test("a RUN with a malformed head reaches the handler: the slot that runs it answers FAILURE") {
            val side = RecordingWorkerSide()
            val garbageHead = byteArrayOf(0, 0, 0, 2, 0x7F, 0x42) // u32 2, then 2 bytes that are no CBOR RunHeader
            WorkerBoundFrames.dispatch(Messages.run(1, garbageHead, ByteArray(0)), side)
            side.calls shouldBe listOf("run 1 []")
            shouldThrow<ProtocolException> { Messages.parseRunHeader(side.runs.single().head) }
        }

        test("a malformed CREDIT or SIDE payload is a protocol error and reaches no handler") {
            val side = RecordingWorkerSide()
            val bad =
                listOf(
                    Frame(Protocol.TYPE_CREDIT, 1, head = byteArrayOf(0, 0, 0, 0)),
                    Frame(Protocol.TYPE_CREDIT, 1, body = byteArrayOf(0, 0, 0, 1, 0)),
                    Frame(Protocol.TYPE_SIDE, 0, head = byteArrayOf(0)),
                    Frame(Protocol.TYPE_SIDE, 0, head = byteArrayOf(0, 9, 1)),
                )
            for (frame in bad) shouldThrow<ProtocolException> { WorkerBoundFrames.dispatch(frame, side) }
            side.calls shouldBe emptyList()
        }

        test("a frame type only a worker sends goes to unexpected (the worker ignores it)") {
            val side = RecordingWorkerSide()
            WorkerBoundFrames.dispatch(Messages.result(1, 99, byteArrayOf(5)), side)
            WorkerBoundFrames.dispatch(Messages.hello(Hello(42, "17")), side)
            side.calls shouldBe listOf("unexpected RESULT", "unexpected HELLO")
        }
    })
