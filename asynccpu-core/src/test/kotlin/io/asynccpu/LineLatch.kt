package io.asynccpu

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.withTimeout

/**
 * A [WorkerOutputListener] that records every line and lets a test wait for a line with given text, so tests
 * synchronise on events the worker announces instead of sleeping.
 */
class LineLatch : WorkerOutputListener {
    val lines: MutableList<Triple<WorkerInfo, WorkerStream, String>> = CopyOnWriteArrayList()
    private val events = Channel<String>(Channel.UNLIMITED)

    override fun onLine(worker: WorkerInfo, stream: WorkerStream, line: String) {
        lines += Triple(worker, stream, line)
        events.trySend(line)
    }

    /** Suspends until [count] lines containing [text] have arrived since the last [clear]. */
    suspend fun await(text: String, count: Int = 1, millis: Long = 30_000) {
        withTimeout(millis) { while (lines.count { it.third.contains(text) } < count) events.receive() }
    }

    fun clear() {
        lines.clear()
        while (events.tryReceive().isSuccess) {
            // drain
        }
    }
}
