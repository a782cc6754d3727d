package io.asynccpu

import java.util.concurrent.CopyOnWriteArrayList
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout

/** Records a pool's events from the moment it is created, and lets a test wait for one. */
class EventLog(scope: CoroutineScope, pool: ProcessPool) {
    val all: MutableList<PoolEvent> = CopyOnWriteArrayList()
    private val arrivals = Channel<Unit>(Channel.CONFLATED)
    private val job =
        scope.launch(start = CoroutineStart.UNDISPATCHED) {
            pool.events.collect {
                all += it
                arrivals.trySend(Unit)
            }
        }

    /** Suspends until [count] events of type [E] matching [predicate] have been recorded; returns them. */
    suspend inline fun <reified E : PoolEvent> await(
        count: Int = 1,
        millis: Long = 90_000,
        crossinline predicate: (E) -> Boolean = { true },
    ): List<E> =
        withTimeout(millis) {
            while (true) {
                val matching = all.filterIsInstance<E>().filter { predicate(it) }
                if (matching.size >= count) return@withTimeout matching
                awaitArrival()
            }
            @Suppress("UNREACHABLE_CODE") emptyList()
        }

    suspend fun awaitArrival() {
        arrivals.receive()
    }

    fun stop() = job.cancel()
}

/** Runs [block] with an [EventLog] of this pool that stops when the block ends. */
suspend fun <T> ProcessPool.withEvents(block: suspend (EventLog) -> T): T = coroutineScope {
    val log = EventLog(this, this@withEvents)
    try {
        block(log)
    } finally {
        log.stop()
    }
}
