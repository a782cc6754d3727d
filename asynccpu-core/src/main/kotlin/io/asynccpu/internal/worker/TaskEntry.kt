package io.asynccpu.internal.worker

import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel

/**
 * The worker-side state of one request: its coroutine, the thread currently running it (while it runs), the threads it
 * ran on (to find the processes it started), and whether the parent cancelled it. All transitions happen under the
 * entry's lock, so a cancel can never interrupt a thread that has already moved on to another task.
 */
internal class TaskEntry(val id: Long) {
    @Volatile
    var cancelled: Boolean = false
        private set

    private var job: Job? = null
    private var thread: Thread? = null

    /** When the task began running ([System.nanoTime]); 0 while it is queued. */
    @Volatile var startedNanos: Long = 0L

    /** Kernel ids of the threads the task ran on, for [TaskProcesses]. Guarded by this entry's lock. */
    private var tids = LongArray(2)
    private var tidCount = 0

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
        val tid = TaskProcesses.currentTid()
        if ((0 until tidCount).none { tids[it] == tid }) {
            if (tidCount == tids.size) tids = tids.copyOf(tidCount * 2)
            tids[tidCount++] = tid
        }
        if (cancelled) thread.interrupt()
    }

    /** Stops the processes this task started (see [TaskProcesses]); for a cancelled task. */
    fun stopProcesses() {
        val started = startedNanos
        if (started == 0L) return
        val threads = synchronized(this) { tids.copyOf(tidCount) }
        TaskProcesses.stop(threads, started)
    }

    @Synchronized
    fun leave() {
        thread = null
        Thread.interrupted() // never leak this task's interrupt into the next one
    }
}
