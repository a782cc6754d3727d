package io.asynccpu.internal.pool

import io.asynccpu.Progress
import io.asynccpu.internal.codec.EncodedCall
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.channels.Channel

/** One submitted task or function call, from submission until it is answered exactly once. */
internal class Call(
    val id: Long,
    val encoded: EncodedCall,
    /** [TASK], [SETUP], [BROADCAST] or [FINALIZER]. */
    val kind: Int = TASK,
) {
    val deferred: CompletableDeferred<Any?> = CompletableDeferred()

    /** When it was submitted ([System.nanoTime]). */
    val submittedAt: Long = System.nanoTime()

    /** When it was handed to a worker ([System.nanoTime]), or 0. Guarded by the pool's lock. */
    var dispatchedAt: Long = 0

    /** The run time the worker reported with its result, or -1. */
    @Volatile var runNanos: Long = -1

    /** The worker it was sent to; null while queued. Guarded by the pool's lock. */
    var worker: WorkerHandle? = null

    /** The worker it was last sent to, kept after the answer (for events). */
    @Volatile var lastWorker: WorkerHandle? = null

    /** The only worker it may run on (`submitTo`, broadcasts), or null for any. */
    var pinnedTo: WorkerHandle? = null

    /** Whether CANCEL was sent for it. Guarded by the pool's lock. */
    var cancelSent: Boolean = false

    /** The RUN head with this request's context, or null to use the header's shared head (no context). */
    var runHead: ByteArray? = null

    /** For a streaming request: where its items go, and how many the worker may send ahead. */
    var stream: StreamReceiver? = null

    /** For a request submitted with progress tracking: where its progress reports go. */
    var progress: Channel<Progress>? = null

    override fun toString(): String = "Call($id, ${encoded.description})"

    companion object {
        /** A caller's task: produces task events and may move between workers while not started. */
        const val TASK: Int = 0

        /** Runs before a worker's first task (the initializer, sticky broadcasts); failing discards the worker. */
        const val SETUP: Int = 1

        /** A broadcast copy sent to one ready worker. */
        const val BROADCAST: Int = 2

        /** The finalizer of a retiring worker. */
        const val FINALIZER: Int = 3

        const val PROGRESS_BUFFER: Int = 64

        fun progressChannel(): Channel<Progress> = Channel(PROGRESS_BUFFER, BufferOverflow.DROP_OLDEST)
    }
}

/** The parent's side of a streaming request: items decoded by the reader thread, for the collector. */
internal class StreamReceiver(val window: Int) {
    /** Unlimited, but never holds more than [window] items: the worker only sends what it was granted. */
    val items: Channel<Any?> = Channel(Channel.UNLIMITED)
}
