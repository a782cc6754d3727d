package io.asynccpu.internal.protocol

/**
 * The frames the pool sends to a worker (layouts in [Protocol]): each type is decoded here and only here, then handed
 * to the [Handler] method for it, so the worker's side never reads frame bytes itself.
 *
 * RUN is handed on undecoded: its head is decoded by the thread that runs it (a slot, or the reader itself for a lone
 * request), once per distinct head (`worker.RunHeads`, through [Messages.parseRunHeader]), and its body and segments
 * with the decoder that head resolved to; so reading a RUN allocates nothing beyond the frame, and a small task's
 * request costs no header decode. A RUN whose head is malformed or names something the worker refuses is answered with
 * FAILURE.
 *
 * Bad input: any other malformed payload throws [ProtocolException] (no handler method is called for that frame); the
 * worker exits on it, and the pool settles its requests as after a crash. A frame type the pool never sends is handed
 * to [Handler.unexpected].
 */
internal object WorkerBoundFrames {
    /** What the worker does with each frame from the pool, on its reader thread (nothing here may block for long). */
    interface Handler {
        /** RUN: request [Frame.id]; [Frame.head] is the RUN head, [Frame.body] the CBOR arguments (not copied). */
        fun run(frame: Frame)

        /** CANCEL: ignored for a request that already finished. */
        fun cancel(id: Long)

        /** CREDIT: the streaming request [id] may send [items] (> 0) more items. */
        fun credit(id: Long, items: Int)

        /** SIDE: a message on [topic] for the worker's plugins. */
        fun side(topic: String, payload: ByteArray)

        /** SHUTDOWN: finish the running requests, then exit. */
        fun shutdown()

        /** A frame of a type the pool never sends to a worker. */
        fun unexpected(type: Int)
    }

    /**
     * Decodes [frame] and calls [to]'s method for its type.
     *
     * @throws ProtocolException for a malformed CREDIT or SIDE payload.
     */
    fun dispatch(frame: Frame, to: Handler) {
        when (frame.type) {
            Protocol.TYPE_RUN -> to.run(frame)
            Protocol.TYPE_CANCEL -> to.cancel(frame.id)
            Protocol.TYPE_CREDIT -> to.credit(frame.id, FlowMessages.parseCredit(frame))
            Protocol.TYPE_SIDE -> to.side(Messages.sideTopic(frame), frame.body)
            Protocol.TYPE_SHUTDOWN -> to.shutdown()
            else -> to.unexpected(frame.type)
        }
    }
}
