package io.asynccpu.internal.pool

import io.asynccpu.Progress
import io.asynccpu.internal.codec.EncodedCall
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel

/**
 * One request to a worker (a caller's task, a setup step, a broadcast copy, a finalizer), from creation until it is
 * answered exactly once.
 */
internal class Request(val id: Long, val encoded: EncodedCall, val kind: Kind = Kind.TASK) {
    /** What a request is for; decides whether it may move between workers and whether it produces task events. */
    enum class Kind {
        /** A caller's task: produces task events and may move to another worker while it has not started. */
        TASK,

        /** Runs before a worker's first task (the initializer, sticky broadcasts); failing discards the worker. */
        SETUP,

        /** A broadcast copy sent to one ready worker. */
        BROADCAST,

        /** The finalizer of a retiring worker. */
        FINALIZER,
    }

    val deferred: CompletableDeferred<Any?> = CompletableDeferred()

    /** When it was submitted ([System.nanoTime]). */
    val submittedAt: Long = System.nanoTime()

    /** When it was handed to a worker ([System.nanoTime]), or 0. Guarded by the scheduler's lock. */
    var dispatchedAt: Long = 0

    /** The run time the worker reported with its result, or -1. */
    @Volatile var runNanos: Long = -1

    /** The worker it was sent to; null while queued. Guarded by the scheduler's lock. */
    var slot: WorkerSlot? = null

    /** The worker it was last sent to, kept after the answer (for events). */
    @Volatile var lastSlot: WorkerSlot? = null

    /** The only worker it may run on (`submitTo`, broadcasts, setup, finalizer), or null for any. */
    var pinnedTo: WorkerSlot? = null

    /** Whether CANCEL was sent for it. Guarded by the scheduler's lock. */
    var cancelSent: Boolean = false

    /** The RUN head with this request's context, or null to use the header's shared head (no context). */
    var runHead: ByteArray? = null

    /** For a streaming request: where its items go, and how many the worker may send ahead. */
    var stream: StreamReceiver? = null

    /** For a request submitted with progress tracking: where its progress reports go. */
    var progress: Channel<Progress>? = null

    /** Whether it may be requeued on another worker when its worker dies before starting it. */
    val movable: Boolean
        get() = kind == Kind.TASK && pinnedTo == null

    override fun toString(): String = "Request($id, ${encoded.description})"

    companion object {
        const val PROGRESS_BUFFER: Int = 64

        fun progressChannel(): Channel<Progress> = Channel(PROGRESS_BUFFER, BufferOverflow.DROP_OLDEST)
    }
}

/** The parent's side of a streaming request: items decoded by the reader thread, for the collector. */
internal class StreamReceiver(val window: Int) {
    /** Unlimited, but never holds more than [window] items: the worker only sends what it was granted. */
    val items: Channel<Any?> = Channel(Channel.UNLIMITED)
}
