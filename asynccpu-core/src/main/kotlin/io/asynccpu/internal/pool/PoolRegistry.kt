package io.asynccpu.internal.pool

import java.util.Collections
import java.util.WeakHashMap

/**
 * Tracks open pools so that one JVM shutdown hook can stop their workers when the program exits without closing them.
 * (If the program is killed outright, workers notice on their own: their stdin reaches end of stream and their parent
 * watcher sees the parent gone.)
 */
internal object PoolRegistry {
    private val pools: MutableSet<PoolShutdown> = Collections.newSetFromMap(WeakHashMap())

    init {
        Runtime.getRuntime().addShutdownHook(Thread({ killAll() }, "asynccpu-shutdown"))
    }

    @Synchronized
    fun register(pool: PoolShutdown) {
        pools += pool
    }

    @Synchronized
    fun unregister(pool: PoolShutdown) {
        pools -= pool
    }

    private fun killAll() {
        val open = synchronized(this) { pools.toList() }
        open.forEach { it.killWorkers() }
    }
}
