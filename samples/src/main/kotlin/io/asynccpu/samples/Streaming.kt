package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.StreamingTask
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** Emits every prime, forever, from a worker process. */
@Serializable
class Primes(val from: Long) : StreamingTask<Long> {
    override fun stream(): Flow<Long> = flow {
        var n = maxOf(2, from)
        while (true) {
            if ((2..Math.sqrt(n.toDouble()).toLong()).none { n % it == 0L }) emit(n)
            n++
        }
    }
}

/**
 * A streaming task: an endless flow of primes computed in a worker and consumed here. The worker runs at most `buffer`
 * primes ahead of the slow collector (back-pressure across the process boundary), and take(15) stops it: the worker's
 * flow is cancelled and the worker serves on.
 */
fun main() = runBlocking {
    ProcessPool { maxWorkers = 1 }
        .use { pool ->
            pool.stream(Primes(1_000_000_000), buffer = 4).take(15).collect { prime ->
                println("prime $prime")
                delay(100) // a slow consumer: the worker waits for credit instead of racing ahead
            }
            println(
                "the collector stopped; the stream was cancelled in the worker, which is still there: ${pool.stats()}"
            )
        }
}
