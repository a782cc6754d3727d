package io.asynccpu.internal.protocol

/**
 * The wire protocol between the caller ("parent") and one worker ("child").
 *
 * Two one-way pipes carry frames: parent → child on the child's **stdin**, child → parent on a **named pipe (FIFO)**
 * private to the pair (created in a 0700 directory, mode 0600, unlinked once both ends are open). The child's stdout
 * and stderr are *not* part of the protocol: they are drained by the parent line by line, so nothing a task prints can
 * corrupt a frame.
 *
 * Every frame has a fixed 16-byte header followed by `length` payload bytes:
 * ```
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |        magic 0xAC 0x9C        |     type      |     flags     |
 *  +-------------------------------+---------------+---------------+
 *  |                  payload length (u32, big-endian)             |
 *  +---------------------------------------------------------------+
 *  |                  request id (i64, big-endian)                 |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  payload (length bytes) ...                   |
 *  +---------------------------------------------------------------+
 * ```
 *
 * Flags: [FLAG_SEGMENTS] (RUN, RESULT) says the payload carries out-of-band byte arrays (below); [FLAG_INLINE_ANSWER]
 * (RUN) asks the child to answer without them (the caller keeps the result's bytes as they are, `EncodedTask`). Every
 * other bit, and any flag on another type, is refused.
 *
 * A reader refuses a frame whose magic or flags are wrong, whose type is unknown, or whose length is above the
 * configured maximum, *before* allocating the payload: a corrupted stream is a [ProtocolException], never a silent
 * mis-parse or an unbounded allocation.
 *
 * Frame types and payloads (CBOR = kotlinx-serialization CBOR; see [Messages.kt](Messages.kt)):
 *
 * | type        | dir  | id         | payload                                                      |
 * |-------------|------|------------|--------------------------------------------------------------|
 * | HELLO       | c→p  | 0          | CBOR [Hello]                                                 |
 * | RUN         | p→c  | request id | u32 n, CBOR [RunHeader] (n bytes), then the CBOR body        |
 * | CANCEL      | p→c  | request id | empty; ignored for a request that already finished           |
 * | SHUTDOWN    | p→c  | 0          | empty; finish running tasks, then exit                       |
 * | SIDE        | both | 0          | u16 n, topic (n bytes UTF-8), then the topic's own bytes     |
 * | CREDIT      | p→c  | request id | u32 n: the stream may send n more STREAM_ITEMs; ignored once |
 * |             |      |            | the request finished                                         |
 * | RESULT      | c→p  | request id | i64 run time in ns, then the CBOR result (always nullable)   |
 * | FAILURE     | c→p  | request id | CBOR [RemoteFailure]                                         |
 * | CANCELLED   | c→p  | request id | empty; the request stopped because of CANCEL                 |
 * | FATAL       | c→p  | 0          | UTF-8 description of a fatal error; the child halts next     |
 * | STREAM_ITEM | c→p  | request id | CBOR item of a streaming request (always nullable)           |
 * | STREAM_END  | c→p  | request id | empty; the streaming request completed normally              |
 * | PROGRESS    | c→p  | request id | CBOR [ProgressReport]; zero or more while a request runs     |
 *
 * A payload is kept as a *head* and a *body* ([Frame]) so that a large body is never copied next to its small prefix.
 * The split is part of the layout and the same on both sides: the reader cuts every frame of a type the way the writer
 * built it ([fixedHead], [headPrefix]).
 *
 * | type   | head                                    | body                  |
 * |--------|-----------------------------------------|-----------------------|
 * | RUN    | u32 n, then n bytes of CBOR [RunHeader] | the CBOR arguments    |
 * | SIDE   | u16 n, then n bytes of topic (UTF-8)    | the topic's own bytes |
 * | RESULT | i64 run time in ns (8 bytes)            | the CBOR result       |
 * | CREDIT | u32 items (4 bytes)                     | empty                 |
 * | others | empty                                   | the whole payload     |
 *
 * **Out-of-band byte arrays** ([FLAG_SEGMENTS]). A `ByteArray` of at least 64 KiB in a task's fields, a function's
 * arguments or a result does not travel inside the CBOR body (where encoding and decoding would copy it three times):
 * the body holds an empty byte string in its place, and the array follows the body as a *segment*, written from the
 * caller's array in slices and read straight into an array of exactly its size. A segment table between the head and
 * the body says which byte arrays of the body (by their ordinal: the n-th non-null `ByteArray` value the serializers
 * meet, counting from 0) are segments, and how long each is:
 * ```
 *  head | u32 count (>= 1) | count x (u32 ordinal, u32 length) | CBOR body | segment 0 | segment 1 | ...
 * ```
 *
 * Ordinals strictly increase. The reader checks the table against the payload length (itself checked against
 * `maxFrameSize`) before it allocates anything: a count or lengths that do not fit are a [ProtocolException]. A frame
 * without arrays has no flag and no table: the layout above is unchanged for it.
 *
 * Integers are big-endian ([BigEndian]). No frame may carry more than `maxFrameSize` payload bytes ([fits]): the reader
 * refuses it, and each writer checks before it sends.
 *
 * Every RUN is answered by exactly one RESULT, FAILURE or CANCELLED with the same id, unless the child dies first (the
 * parent then answers it with a crash). A streaming RUN ([RunHeader.KIND_STREAM]) is answered by exactly one
 * STREAM_END, FAILURE or CANCELLED instead of a RESULT; before that answer it may send STREAM_ITEMs, but never more
 * than the CREDIT the parent granted (the parent sends an initial CREDIT right after the RUN and more as its collector
 * consumes items), so a slow collector stops the child's flow instead of filling a pipe or a heap. PROGRESS frames are
 * informational and never answer a request.
 *
 * ```
 *   parent                                   child
 *     | RUN(id, KIND_STREAM) ──────────────▶  |  collect the task's Flow
 *     | CREDIT(id, 64) ────────────────────▶  |
 *     | ◀────────────────── STREAM_ITEM(id) ×64 |  (suspends: no credit left)
 *     | CREDIT(id, 32) ────────────────────▶  |  (collector consumed 32)
 *     | ◀────────────────── STREAM_ITEM(id) … |
 *     | ◀──────── STREAM_END / FAILURE / CANCELLED (id)  exactly one
 * ```
 */
internal object Protocol {
    const val MAGIC: Int = 0xAC9C
    const val HEADER_SIZE: Int = 16

    const val TYPE_HELLO: Int = 1
    const val TYPE_RUN: Int = 2
    const val TYPE_CANCEL: Int = 3
    const val TYPE_SHUTDOWN: Int = 4
    const val TYPE_SIDE: Int = 5
    const val TYPE_CREDIT: Int = 6
    const val TYPE_RESULT: Int = 16
    const val TYPE_FAILURE: Int = 17
    const val TYPE_CANCELLED: Int = 18
    const val TYPE_FATAL: Int = 19
    const val TYPE_STREAM_ITEM: Int = 20
    const val TYPE_STREAM_END: Int = 21
    const val TYPE_PROGRESS: Int = 22

    /** The payload carries a segment table and out-of-band byte arrays (RUN, RESULT; see above). */
    const val FLAG_SEGMENTS: Int = 0x01

    /** A RUN whose answer must keep every byte array inside its CBOR body (no [FLAG_SEGMENTS]). */
    const val FLAG_INLINE_ANSWER: Int = 0x02

    /** Bytes of a segment table: u32 count, then per segment u32 ordinal and u32 length. */
    fun segmentTableSize(count: Int): Long = 4L + 8L * count

    /** The flags a [type] frame may carry; a reader refuses any other bit. */
    fun allowedFlags(type: Int): Int =
        when (type) {
            TYPE_RUN -> FLAG_SEGMENTS or FLAG_INLINE_ANSWER
            TYPE_RESULT -> FLAG_SEGMENTS
            else -> 0
        }

    /** The largest topic name of a SIDE frame, in UTF-8 bytes. */
    const val MAX_TOPIC_LENGTH: Int = 256

    /** The fixed head of a RESULT payload: the run time. */
    const val RESULT_HEAD: Int = 8

    /** The fixed head of a CREDIT payload: the items granted. */
    const val CREDIT_HEAD: Int = 4

    /** The frame-size rule, the one place it is written: a payload of [payloadSize] bytes may travel. */
    fun fits(payloadSize: Long, maxFrameSize: Int): Boolean = payloadSize <= maxFrameSize

    /** Bytes of the fixed head of a [type] payload, or 0 (see the table above). */
    fun fixedHead(type: Int): Int =
        when (type) {
            TYPE_RESULT -> RESULT_HEAD
            TYPE_CREDIT -> CREDIT_HEAD
            else -> 0
        }

    /** Size of the length prefix of a [type] payload's variable head (prefix + that many bytes), or 0. */
    fun headPrefix(type: Int): Int =
        when (type) {
            TYPE_RUN -> 4
            TYPE_SIDE -> 2
            else -> 0
        }

    /** The largest variable head a [type] payload may announce after its prefix. */
    fun maxHeadLength(type: Int): Int = if (type == TYPE_SIDE) MAX_TOPIC_LENGTH else Int.MAX_VALUE

    fun isKnownType(type: Int): Boolean = type in TYPE_HELLO..TYPE_CREDIT || type in TYPE_RESULT..TYPE_PROGRESS

    fun typeName(type: Int): String =
        when (type) {
            TYPE_HELLO -> "HELLO"
            TYPE_RUN -> "RUN"
            TYPE_CANCEL -> "CANCEL"
            TYPE_SHUTDOWN -> "SHUTDOWN"
            TYPE_SIDE -> "SIDE"
            TYPE_RESULT -> "RESULT"
            TYPE_FAILURE -> "FAILURE"
            TYPE_CANCELLED -> "CANCELLED"
            TYPE_FATAL -> "FATAL"
            TYPE_CREDIT -> "CREDIT"
            TYPE_STREAM_ITEM -> "STREAM_ITEM"
            TYPE_STREAM_END -> "STREAM_END"
            TYPE_PROGRESS -> "PROGRESS"
            else -> "UNKNOWN($type)"
        }
}
