package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.logging.LogRecordListener
import io.asynccpu.logging.forwardLogs
import java.util.concurrent.atomic.AtomicLong
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory

/**
 * Measures log forwarding: records per second from worker SLF4J calls to a listener in the parent, for one logging
 * thread and for four concurrent tasks in one worker, and the cost of a DEBUG call that the worker's INFO threshold
 * filters out.
 *
 * Run: ./mvnw -q -pl samples -am -DskipTests -Ddemo -Ddemo.main=io.asynccpu.samples.LogThroughputKt verify
 */
@Serializable
class LogManyTask(val stream: Int, val count: Int) : ProcessTask<Int> {
    override suspend fun run(): Int {
        val logger = LoggerFactory.getLogger("throughput")
        for (i in 0 until count) logger.info("stream {} record {}", stream, i)
        return count
    }
}

/** Returns the nanoseconds [count] filtered-out DEBUG calls took in the worker. */
@Serializable
class FilteredCallsTask(val count: Int) : ProcessTask<Long> {
    override suspend fun run(): Long {
        val logger = LoggerFactory.getLogger("throughput")
        val start = System.nanoTime()
        for (i in 0 until count) logger.debug("filtered {}", i)
        return System.nanoTime() - start
    }
}

/** Counts records and completes [reached] when the count gets to [target]. */
private class CountingListener : LogRecordListener {
    private val count = AtomicLong()

    @Volatile private var target = Long.MAX_VALUE

    @Volatile private var reached = CompletableDeferred<Unit>()

    fun expect(records: Long): CompletableDeferred<Unit> {
        count.set(0)
        reached = CompletableDeferred()
        target = records
        return reached
    }

    override fun onRecord(record: io.asynccpu.logging.LogRecord) {
        if (count.incrementAndGet() == target) reached.complete(Unit)
    }
}

private fun ProcessPool.measure(listener: CountingListener, tasks: Int, perTask: Int): Double = runBlocking {
    val done = listener.expect(tasks.toLong() * perTask)
    val start = System.nanoTime()
    (0 until tasks).map { submit(LogManyTask(it, perTask)) }.awaitAll()
    done.await()
    tasks.toLong() * perTask / ((System.nanoTime() - start) / 1e9)
}

fun main() {
    val perRun = 500_000
    val listener = CountingListener()
    println("log forwarding throughput (worker SLF4J call -> parent listener), $perRun records per run")
    ProcessPool {
            maxWorkers = 1
            tasksPerWorker = 4
            forwardLogs { this.listener = listener }
        }
        .use { pool ->
            repeat(2) { pool.measure(listener, 1, perRun / 5) } // warm up both JVMs
            val single = (1..3).map { pool.measure(listener, 1, perRun) }
            val four = (1..3).map { pool.measure(listener, 4, perRun / 4) }
            val filteredNanos = runBlocking { pool.run(FilteredCallsTask(10_000_000)) }
            println(
                "  1 logging thread : %,.0f records/s (best of 3; runs: %s)"
                    .format(single.max(), single.joinToString { "%,.0f".format(it) })
            )
            println(
                "  4 concurrent tasks: %,.0f records/s (best of 3; runs: %s)"
                    .format(four.max(), four.joinToString { "%,.0f".format(it) })
            )
            println(
                "  filtered-out DEBUG call in the worker: %.1f ns/call (no encoding, no channel traffic)"
                    .format(filteredNanos / 1e7)
            )
        }
}
