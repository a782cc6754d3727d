package io.asynccpu.internal.pool

/**
 * Hands the id of a task submitted inside [capture] back to its caller, for every submit form: the submission records
 * its id in the calling thread's capture slot, if there is one.
 */
internal object TaskIds {
    /** [0]: how many submissions were recorded, [1]: the last id. */
    private val slot = ThreadLocal<LongArray?>()

    /** Captures running on any thread: while there is none, a submission skips the thread-local lookup. */
    private val active = java.util.concurrent.atomic.AtomicInteger()

    /** Called by each submission on the caller's thread. */
    fun record(id: Long) {
        if (active.get() == 0) return
        val s = slot.get() ?: return
        s[0]++
        s[1] = id
    }

    /**
     * Runs [block] and returns the number of submissions it made with the last one's id. Nests: an inner capture does
     * not count in the outer one.
     */
    fun <H> capture(block: () -> H): Triple<Long, Long, H> {
        val previous = slot.get()
        val s = LongArray(2)
        slot.set(s)
        active.incrementAndGet()
        val handle =
            try {
                block()
            } finally {
                active.decrementAndGet()
                slot.set(previous)
            }
        return Triple(s[0], s[1], handle)
    }
}
