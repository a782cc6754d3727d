@file:OptIn(kotlinx.serialization.ExperimentalSerializationApi::class)

package io.asynccpu.internal.protocol

import com.code_intelligence.jazzer.junit.FuzzTest
import io.asynccpu.PointsTask
import io.asynccpu.internal.codec.CodecFailure
import io.asynccpu.internal.codec.OutOfBand
import io.asynccpu.internal.codec.TaskType
import io.asynccpu.internal.worker.RunHeads
import java.io.ByteArrayInputStream
import java.util.concurrent.atomic.AtomicLong
import kotlinx.serialization.SerializationException

/**
 * Decodes fuzzer input the way a parent or a worker decodes bytes from its peer. The contract: any input yields frames
 * and messages, or one of the documented protocol errors ([ProtocolException], [SerializationException], and for RUN
 * bodies a [CodecFailure]); never another exception type, (a RESULT's body is the caller's type: the pool turns any
 * failure to decode it into a TaskEncodingException for that call) never an allocation above [MAX_FRAME] bytes (the
 * reader checks the length before allocating), never a hang (every step consumes input).
 */
object ProtocolFuzzTarget {
    const val MAX_FRAME: Int = 64 * 1024
    val executions: AtomicLong = AtomicLong()
    private val loader = ProtocolFuzzTarget::class.java.classLoader
    private val resultSerializer = TaskType.of(PointsTask::class.java).resultSerializer

    /** The first byte picks the target: 0 the frame reader over a stream, 1-5 one frame type's payload. */
    fun check(data: ByteArray) {
        executions.incrementAndGet()
        if (data.isEmpty()) return
        val rest = data.copyOfRange(1, data.size)
        try {
            when ((data[0].toInt() and 0xFF) % 6) {
                0 -> {
                    val reader = FrameReader(ByteArrayInputStream(rest), MAX_FRAME)
                    while (true) {
                        val frame = reader.readFrame() ?: break
                        check(frame.body.size <= MAX_FRAME)
                        decode(frame)
                    }
                }
                1 -> decode(framed(Protocol.TYPE_HELLO, rest))
                2 -> decode(framed(Protocol.TYPE_RUN, rest))
                3 -> decode(framed(Protocol.TYPE_FAILURE, rest))
                4 -> decode(framed(Protocol.TYPE_SIDE, rest))
                else -> decode(framed(Protocol.TYPE_RESULT, rest))
            }
        } catch (e: ProtocolException) {
            // documented: a malformed frame
        } catch (e: SerializationException) {
            // documented: a malformed CBOR payload
        } catch (e: CodecFailure) {
            // documented: a RUN the worker refuses (unknown class, not a task, undecodable arguments)
        }
    }

    /**
     * [payload] as the payload of a [type] frame, read back by the [FrameReader] (which splits its head as on the
     * wire).
     */
    private fun framed(type: Int, payload: ByteArray): Frame {
        val header = ByteArray(Protocol.HEADER_SIZE)
        BigEndian.putShort(header, 0, Protocol.MAGIC)
        header[2] = type.toByte()
        BigEndian.putInt(header, 4, payload.size)
        BigEndian.putLong(header, 8, 1)
        return FrameReader(ByteArrayInputStream(header + payload), MAX_FRAME).readFrame()!!
    }

    /**
     * Decodes a frame as the side that receives it would: through its dispatcher ([ParentBoundFrames],
     * [WorkerBoundFrames]), a RUN as a worker's slot does ([RunHeads], then the body; never run).
     */
    private fun decode(frame: Frame) {
        val toParent = frame.type == Protocol.TYPE_HELLO || frame.type >= Protocol.TYPE_RESULT
        if (toParent || frame.type == Protocol.TYPE_SIDE) ParentBoundFrames.dispatch(frame, false, parentSide)
        if (!toParent) WorkerBoundFrames.dispatch(frame, workerSide)
    }

    private val heads = RunHeads(loader)

    private val parentSide =
        object : ParentBoundFrames.Handler {
            override fun hello(hello: Hello) = Unit

            override fun result(frame: Frame, runNanos: Long, moreBuffered: Boolean) {
                // The caller's result type: WorkerInbox answers any failure to decode it (even an Error) with a
                // TaskEncodingException for that one call, so here every outcome is acceptable.
                runCatching { OutOfBand.decode(resultSerializer, frame.body, frame.segments) }
            }

            override fun failure(id: Long, failure: RemoteFailure, body: ByteArray, moreBuffered: Boolean) = Unit

            override fun cancelled(id: Long, moreBuffered: Boolean) = Unit

            override fun streamItem(id: Long, body: ByteArray) = Unit

            override fun streamEnd(id: Long, moreBuffered: Boolean) = Unit

            override fun progress(id: Long, report: ProgressReport) = Unit

            override fun fatal(description: String) = Unit

            override fun side(topic: String, payload: ByteArray) = Unit
        }

    private val workerSide =
        object : WorkerBoundFrames.Handler {
            override fun run(frame: Frame) {
                // decodes the call; never runs it
                heads.resolve(frame.head).decoder.decode(frame.body, frame.segments)
            }

            override fun cancel(id: Long) = Unit

            override fun credit(id: Long, items: Int) = Unit

            override fun side(topic: String, payload: ByteArray) = Unit

            override fun shutdown() = Unit

            override fun unexpected(type: Int) = Unit
        }
}

/**
 * Issue 7, test 6: coverage-guided fuzzing of the frame reader and of the CBOR decoding of every frame type, with
 * Jazzer. The default run replays the committed corpus
 * (`src/test/resources/io/asynccpu/internal/protocol/ProtocolFuzzTestInputs/frames`); the `fuzz` profile sets
 * `JAZZER_FUZZ=1` and fuzzes for a bounded time.
 */
class ProtocolFuzzTest {
    @FuzzTest(maxDuration = "60s")
    fun frames(data: ByteArray) {
        ProtocolFuzzTarget.check(data)
    }

    companion object {
        @JvmStatic
        @org.junit.jupiter.api.AfterAll
        fun report() {
            println("ProtocolFuzzTest: ${ProtocolFuzzTarget.executions.get()} executions")
        }
    }
}
