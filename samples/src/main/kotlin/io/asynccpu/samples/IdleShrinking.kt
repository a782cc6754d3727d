package io.asynccpu.samples

import io.asynccpu.PoolEvent
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.filter
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** A burst of CPU work. */
@Serializable
class Burst(val n: Long) : ProcessTask<Long> {
    override suspend fun run(): Long = (0 until n).sumOf { it * it % 7 }
}

/**
 * Sporadic work: the pool grows to 3 workers for a burst, shrinks back to minWorkers = 1 once they have been idle for
 * idleTimeout, and grows again for the next burst. Pool events show each step.
 */
fun main() = runBlocking {
    ProcessPool {
            maxWorkers = 3
            minWorkers = 1
            idleTimeout = 500.milliseconds
        }
        .use { pool ->
            val log =
                launch(start = CoroutineStart.UNDISPATCHED) {
                    pool.events
                        .filter { it is PoolEvent.WorkerStarted || it is PoolEvent.WorkerRetired }
                        .collect { println("  event: $it") }
                }
            repeat(2) { round ->
                println("burst ${round + 1}: 6 tasks")
                (0 until 6).map { pool.submit(Burst(20_000_000)) }.awaitAll()
                println("  after the burst: ${pool.stats()}")
                // Idle workers retire after idleTimeout, down to minWorkers (the events above show it).
                while (pool.stats().workers > 1) delay(50)
                println("  idle for a while: ${pool.stats()}")
            }
            log.cancel()
        }
}
