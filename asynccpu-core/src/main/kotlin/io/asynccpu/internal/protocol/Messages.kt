package io.asynccpu.internal.protocol

import kotlinx.serialization.Serializable
import kotlinx.serialization.Transient
import kotlinx.serialization.decodeFromByteArray
import kotlinx.serialization.encodeToByteArray

/** Payload of HELLO: the child introduces itself once its channel is open. */
@Serializable internal class Hello(val pid: Long, val javaVersion: String, val protocolVersion: Int = 1)

/** What a RUN frame asks the child to run; the arguments follow as the frame's body. */
@Serializable
internal class RunHeader(
    /** [KIND_TASK], [KIND_FUNCTION], [KIND_JAVA_TASK], [KIND_MAP_CHUNK], [KIND_STREAM] or [KIND_JAVA_MAP_CHUNK]. */
    val kind: Int,
    /** The task class (a ProcessTask or a JavaTask), or the class that declares the function. */
    val className: String,
    /** For functions: the JVM method name. */
    val functionName: String? = null,
    /** For functions: the JVM method descriptor, e.g. `(ILkotlin/coroutines/Continuation;)Ljava/lang/Object;`. */
    val descriptor: String? = null,
    /** For functions: whether the method is a member of a Kotlin `object` (called on its instance). */
    val onObject: Boolean = false,
    /**
     * The request context captured on the caller's thread (MDC entries, `traceparent`); bounded by the parent (see
     * `PoolExtension.captureContext`). Empty (and not on the wire) for most requests.
     */
    val context: Map<String, String> = emptyMap(),
) {
    /** This header with [context]; its head is encoded per request, unlike the shared, cached one. */
    fun withContext(context: Map<String, String>): RunHeader =
        RunHeader(kind, className, functionName, descriptor, onObject, context)

    @Transient private var runHead: ByteArray? = null

    /**
     * The head of a RUN frame carrying this header: u32 length, then the CBOR header. Encoded once per instance (the
     * codec reuses one instance per task class or function), so a RUN frame costs no header encoding. Never modify the
     * returned array.
     */
    fun runHead(): ByteArray =
        runHead
            ?: run {
                val headerBytes = ProtocolCbor.encodeToByteArray(this)
                val head = ByteArray(4 + headerBytes.size)
                BigEndian.putInt(head, 0, headerBytes.size)
                headerBytes.copyInto(head, 4)
                head.also { runHead = it }
            }

    companion object {
        const val KIND_TASK: Int = 0
        const val KIND_FUNCTION: Int = 1

        /** A `JavaTask` class by name; the body is its encoded input. */
        const val KIND_JAVA_TASK: Int = 2

        /** A one-argument function applied to each element of a list; the body is the encoded list. */
        const val KIND_MAP_CHUNK: Int = 3

        /** A `StreamingTask` class; answered by STREAM_ITEMs and one STREAM_END (see [Protocol]). */
        const val KIND_STREAM: Int = 4

        /** A `JavaTask` class by name applied to each element of a list; the body is the encoded list. */
        const val KIND_JAVA_MAP_CHUNK: Int = 5
    }
}

/** One stack frame of a remote exception. */
@Serializable
internal class RemoteFrame(val className: String, val method: String, val file: String? = null, val line: Int = -1)

/** A throwable as it crossed the wire: enough to rebuild it, or to describe it. */
@Serializable
internal class RemoteFailure(
    val className: String,
    val message: String? = null,
    val frames: List<RemoteFrame> = emptyList(),
    val cause: RemoteFailure? = null,
    val suppressed: List<RemoteFailure> = emptyList(),
    /** What failed: [KIND_TASK] (the task threw) or an infrastructure kind. */
    val kind: Int = KIND_TASK,
) {
    companion object {
        const val KIND_TASK: Int = 0
        const val KIND_RESULT_ENCODING: Int = 1
        const val KIND_LOADING: Int = 2
        const val KIND_TASK_DECODING: Int = 3
        const val KIND_TOO_LARGE: Int = 4
    }
}

/**
 * Builds and parses the payloads of each frame type (layouts in [Protocol]), one parser per type. Received frames are
 * decoded through [ParentBoundFrames] and [WorkerBoundFrames], which call these parsers; a RUN head through
 * [parseRunHeader] wherever it is read.
 */
internal object Messages {
    fun hello(hello: Hello): Frame = Frame(Protocol.TYPE_HELLO, 0, body = ProtocolCbor.encodeToByteArray(hello))

    fun parseHello(frame: Frame): Hello = decode("HELLO", frame.body)

    fun run(id: Long, header: RunHeader, body: ByteArray): Frame = Frame(Protocol.TYPE_RUN, id, header.runHead(), body)

    /**
     * A RUN frame with a head made by [RunHeader.runHead] (of a header with a request context), the out-of-band arrays
     * of its body, and whether the answer must keep its arrays inside its CBOR body ([Protocol.FLAG_INLINE_ANSWER]).
     */
    fun run(
        id: Long,
        runHead: ByteArray,
        body: ByteArray,
        segments: Segments? = null,
        inlineAnswer: Boolean = false,
    ): Frame = Frame(Protocol.TYPE_RUN, id, runHead, body, segments, inlineAnswer)

    /** Splits a RUN payload into its header and its body (the body is not copied). */
    fun parseRun(frame: Frame): Pair<RunHeader, ByteArray> = parseRunHeader(frame.head) to frame.body

    /** Decodes the header in a RUN frame's [head] (u32 length, then the CBOR header). */
    fun parseRunHeader(head: ByteArray): RunHeader {
        if (head.size < 4) throw ProtocolException("RUN frame too short")
        val n = BigEndian.readInt(head, 0)
        if (n != head.size - 4) throw ProtocolException("RUN header length $n out of range")
        return decode<RunHeader>("RUN header", head.copyOfRange(4, head.size))
    }

    fun result(id: Long, runNanos: Long, body: ByteArray, segments: Segments? = null): Frame {
        val head = ByteArray(Protocol.RESULT_HEAD)
        BigEndian.putLong(head, 0, runNanos)
        return Frame(Protocol.TYPE_RESULT, id, head, body, segments)
    }

    fun resultRunNanos(frame: Frame): Long {
        if (frame.head.size != Protocol.RESULT_HEAD) throw ProtocolException("RESULT frame too short")
        return BigEndian.readLong(frame.head, 0)
    }

    /** The CBOR result (not copied). */
    fun resultBody(frame: Frame): ByteArray = frame.body

    fun failure(id: Long, failure: RemoteFailure): Frame =
        Frame(Protocol.TYPE_FAILURE, id, body = ProtocolCbor.encodeToByteArray(failure))

    fun parseFailure(frame: Frame): RemoteFailure = decode("FAILURE", frame.body)

    fun side(topic: String, payload: ByteArray): Frame {
        val topicBytes = topic.toByteArray(Charsets.UTF_8)
        require(topicBytes.size <= Protocol.MAX_TOPIC_LENGTH) { "side-channel topic too long: $topic" }
        val head = ByteArray(2 + topicBytes.size)
        BigEndian.putShort(head, 0, topicBytes.size)
        topicBytes.copyInto(head, 2)
        return Frame(Protocol.TYPE_SIDE, 0, head, payload)
    }

    /** The topic of a SIDE frame (its payload is the frame's body). */
    fun sideTopic(frame: Frame): String {
        val head = frame.head
        if (head.size < 2) throw ProtocolException("SIDE frame too short")
        val n = BigEndian.readUnsignedShort(head, 0)
        if (n > Protocol.MAX_TOPIC_LENGTH || n != head.size - 2)
            throw ProtocolException("SIDE topic length $n out of range")
        return String(head, 2, n, Charsets.UTF_8)
    }

    /** The topic and the payload of a SIDE frame (the payload is not copied). */
    fun parseSide(frame: Frame): Pair<String, ByteArray> = sideTopic(frame) to frame.body

    fun fatal(description: String): Frame =
        Frame(Protocol.TYPE_FATAL, 0, body = description.toByteArray(Charsets.UTF_8))

    /** The description in a FATAL frame (UTF-8; malformed bytes are replaced, never refused). */
    fun parseFatal(frame: Frame): String = frame.body.toString(Charsets.UTF_8)

    fun control(type: Int, id: Long = 0): Frame = Frame(type, id)

    /**
     * Decodes the CBOR message of a frame; every protocol payload is decoded here. Whatever the decoder throws for
     * malformed bytes (a [SerializationException], or, for inputs it does not classify itself (found by fuzzing: an
     * array index out of bounds for a length near 2^31), another runtime exception) becomes a [ProtocolException]: a
     * malformed frame, never another exception type.
     */
    inline fun <reified T> decode(what: String, bytes: ByteArray): T =
        try {
            ProtocolCbor.decodeFromByteArray<T>(bytes)
        } catch (e: RuntimeException) {
            throw ProtocolException("malformed $what payload: $e", e)
        }
}
