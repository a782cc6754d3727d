package io.asynccpu.internal.worker

import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel

/**
 * The worker-side state of one request: its coroutine, the thread currently running it (while it
 * runs), and whether the parent cancelled it. All transitions happen under the entry's lock, so a
 * cancel can never interrupt a thread that has already moved on to another task.
 */
internal class TaskEntry(val id: Long) {
    @Volatile var cancelled: Boolean = false
        private set

    private var job: Job? = null
    private var thread: Thread? = null

    /** Stream items the parent allowed this request to send (CREDIT frames); used by streaming requests only. */
    val credits: Channel<Int> by lazy { Channel(Channel.UNLIMITED) }

    @Synchronized
    fun cancel() {
        cancelled = true
        job?.cancel()
        thread?.interrupt()
    }

    @Synchronized
    fun attach(job: Job) {
        this.job = job
        if (cancelled) job.cancel()
    }

    @Synchronized
    fun enter(thread: Thread) {
        this.thread = thread
        if (cancelled) thread.interrupt()
    }

    @Synchronized
    fun leave() {
        thread = null
        Thread.interrupted() // never leak this task's interrupt into the next one
    }
}
