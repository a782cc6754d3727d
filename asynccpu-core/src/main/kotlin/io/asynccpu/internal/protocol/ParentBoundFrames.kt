package io.asynccpu.internal.protocol

/**
 * The frames a worker sends to the pool (layouts in [Protocol]): each type is decoded here and only here, then handed
 * to the [Handler] method for it, so the pool's side never reads frame bytes itself.
 *
 * Bad input: a malformed payload throws [ProtocolException] (CBOR payloads through [Messages.decode], which turns any
 * decoder error into one), and so does a frame type a worker never sends; no handler method is called for that frame,
 * and the pool treats the channel as broken (it kills the worker and settles its requests as after a crash). RESULT and
 * STREAM_ITEM bodies are handed on as they are (not copied): only the handler knows the request's serializer.
 *
 * Decoding allocates nothing for RESULT, CANCELLED and STREAM_END (the hot answers) beyond the frame itself.
 */
internal object ParentBoundFrames {
    /**
     * What the pool does with each frame from one worker, on that worker's reader thread. `moreBuffered`: the next
     * frame is already buffered in full, so work that can wait for the last of a batch (refilling the worker) may be
     * deferred.
     */
    interface Handler {
        /** HELLO: the worker's JVM runs and its channel is open. */
        fun hello(hello: Hello)

        /**
         * RESULT: the run time the worker measured, and the [frame] itself: its body (the CBOR result) and segments
         * (out-of-band byte arrays) are decoded by the handler, with the request's serializer.
         */
        fun result(frame: Frame, runNanos: Long, moreBuffered: Boolean)

        /** FAILURE: the decoded failure, and its CBOR bytes (for requests that pass failures on undecoded). */
        fun failure(id: Long, failure: RemoteFailure, body: ByteArray, moreBuffered: Boolean)

        /** CANCELLED: the request stopped because of CANCEL. */
        fun cancelled(id: Long, moreBuffered: Boolean)

        /** STREAM_ITEM: one CBOR item of a streaming request. */
        fun streamItem(id: Long, body: ByteArray)

        /** STREAM_END: the streaming request completed normally. */
        fun streamEnd(id: Long, moreBuffered: Boolean)

        /** PROGRESS: how far a running request is (informational; never answers it). */
        fun progress(id: Long, report: ProgressReport)

        /** FATAL: what the worker hit (an `OutOfMemoryError`); it halts next. */
        fun fatal(description: String)

        /** SIDE: a message on [topic] for the pool's extensions. */
        fun side(topic: String, payload: ByteArray)
    }

    /**
     * Decodes [frame] and calls [to]'s method for its type.
     *
     * @throws ProtocolException for a malformed payload or a type a worker never sends.
     */
    fun dispatch(frame: Frame, moreBuffered: Boolean, to: Handler) {
        val id = frame.id
        when (frame.type) {
            Protocol.TYPE_RESULT -> to.result(frame, Messages.resultRunNanos(frame), moreBuffered)
            Protocol.TYPE_FAILURE -> to.failure(id, Messages.parseFailure(frame), frame.body, moreBuffered)
            Protocol.TYPE_CANCELLED -> to.cancelled(id, moreBuffered)
            Protocol.TYPE_STREAM_ITEM -> to.streamItem(id, frame.body)
            Protocol.TYPE_STREAM_END -> to.streamEnd(id, moreBuffered)
            Protocol.TYPE_PROGRESS -> to.progress(id, FlowMessages.parseProgress(frame))
            Protocol.TYPE_SIDE -> to.side(Messages.sideTopic(frame), frame.body)
            Protocol.TYPE_HELLO -> to.hello(Messages.parseHello(frame))
            Protocol.TYPE_FATAL -> to.fatal(Messages.parseFatal(frame))
            else -> throw ProtocolException("unexpected ${Protocol.typeName(frame.type)} frame from a worker")
        }
    }
}
