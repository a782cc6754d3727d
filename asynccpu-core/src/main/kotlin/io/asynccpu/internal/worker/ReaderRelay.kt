package io.asynccpu.internal.worker

import java.util.concurrent.Semaphore

/**
 * Passes the reading of the parent's frames between two threads (leader/follower), so that the thread that read a lone
 * RUN can run it itself while the other thread reads on.
 *
 * A task handed to another thread starts only once that thread has woken up; inside one JVM such a wake-up usually goes
 * to an idle CPU, which on a virtual machine costs tens of microseconds (ARCHITECTURE.md, "Performance"). Here the task
 * starts on the thread that read it, and the wake-up of the other thread (which takes over the reading, so CANCEL,
 * CREDIT and SIDE frames are still read while the task runs) happens beside the task instead of before it.
 *
 * Exactly one thread reads at a time: [lead] runs on a thread only while it holds the baton. [lead] returns after it
 * called [handOff] (which gives the baton to the other thread) and ran its task; the thread then waits for the baton
 * again. The baton is a semaphore, so the order of the reads is kept (each reader's reads happen before the next
 * reader's) and a hand-off is never lost when the other thread has not started waiting yet.
 */
internal class ReaderRelay(private val standbyName: String, private val lead: (ReaderRelay) -> Unit) {
    private val baton = Semaphore(1)

    /** Starts the standby thread and reads on the calling thread; never returns (the worker exits from [lead]). */
    fun serve(): Nothing {
        Thread(::follow, standbyName).apply { isDaemon = true }.start()
        follow()
    }

    /** Gives the reading to the other thread; called by the reading thread from [lead], which must then return. */
    fun handOff() = baton.release()

    private fun follow(): Nothing {
        while (true) {
            baton.acquireUninterruptibly()
            lead(this)
        }
    }
}
