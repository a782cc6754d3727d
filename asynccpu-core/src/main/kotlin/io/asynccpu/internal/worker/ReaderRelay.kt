package io.asynccpu.internal.worker

import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.locks.LockSupport

/**
 * Lets the thread that reads the parent's frames run a lone task itself, with a second thread standing by to take the
 * reading over if that task runs long (leader/follower).
 *
 * A task handed to another thread starts only once that thread has woken up; inside one JVM such a wake-up usually goes
 * to an idle CPU, which on a virtual machine costs tens of microseconds (ARCHITECTURE.md, "Performance"). Here a lone
 * request starts on the thread that read it, and when it ends that thread goes back to reading: no thread is woken at
 * all. While it runs, nobody reads; after [TAKE_OVER_NANOS] the standby thread takes the reading over, so CANCEL,
 * CREDIT and SIDE frames are still read while a long task runs (the thread that ran it then stands by in turn).
 *
 * Exactly one thread reads at a time: [lead] runs only on the thread that holds the reading. It calls [pause] before it
 * runs a lone task and [resume] after it: if the standby thread took over meanwhile, [resume] returns false and [lead]
 * must return. Both changes of hands are one compare-and-set on [state], so the reads stay in order (each reader's
 * reads happen before the next reader's). The standby thread checks every [TAKE_OVER_NANOS] while tasks ran lone in the
 * last [KEEP_WATCHING_NANOS], and otherwise sleeps until [pause] wakes it.
 */
internal class ReaderRelay(private val standbyName: String, private val lead: (ReaderRelay) -> Unit) {
    private val state = AtomicInteger(READING)

    /** When the last lone task started ([System.nanoTime]). Written before [state] is set to [LONE]. */
    @Volatile private var loneSince = System.nanoTime() - KEEP_WATCHING_NANOS

    /** The standby thread while it sleeps without a deadline ([pause] wakes it); null otherwise. */
    @Volatile private var sleeping: Thread? = null

    /** Starts the standby thread and reads on the calling thread; never returns (the worker exits from [lead]). */
    fun serve(): Nothing {
        Thread(
                {
                    while (true) {
                        standBy()
                        lead(this)
                    }
                },
                standbyName,
            )
            .apply { isDaemon = true }
            .start()
        while (true) {
            lead(this)
            standBy()
        }
    }

    /** The reading thread is about to run a lone task: nobody reads until [resume], or until the standby takes over. */
    fun pause() {
        loneSince = System.nanoTime()
        state.set(LONE)
        sleeping?.let { LockSupport.unpark(it) }
    }

    /** The lone task ended (or suspended): true if this thread reads on, false if the standby thread took over. */
    fun resume(): Boolean = state.compareAndSet(LONE, READING)

    /** Returns once this thread took the reading over from a lone task that ran for [TAKE_OVER_NANOS]. */
    private fun standBy() {
        while (true) {
            if (state.get() == LONE) {
                val waited = System.nanoTime() - loneSince
                if (waited >= TAKE_OVER_NANOS) {
                    if (state.compareAndSet(LONE, READING)) return
                } else {
                    LockSupport.parkNanos(this, TAKE_OVER_NANOS - waited)
                }
            } else if (System.nanoTime() - loneSince < KEEP_WATCHING_NANOS) {
                LockSupport.parkNanos(this, TAKE_OVER_NANOS)
            } else {
                // Nothing ran lone for a while: sleep until pause() wakes this thread (no periodic wake-up).
                sleeping = Thread.currentThread()
                if (state.get() != LONE) LockSupport.park(this)
                sleeping = null
            }
        }
    }

    companion object {
        /** How long a lone task runs before the standby thread takes the reading over. */
        const val TAKE_OVER_NANOS: Long = 1_000_000L
        /** How long the standby thread keeps checking after the last lone task started. */
        const val KEEP_WATCHING_NANOS: Long = 100_000_000L
        private const val READING = 0
        private const val LONE = 1
    }
}
