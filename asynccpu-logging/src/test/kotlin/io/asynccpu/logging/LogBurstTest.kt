package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withTimeout

/** Keeps the sequence numbers of "burst" records per stream and per worker thread. */
private class BurstListener(private val expected: Int) : LogRecordListener {
    val byStream = ConcurrentHashMap<Int, MutableList<Int>>()
    val byThread = ConcurrentHashMap<String, MutableList<Pair<Int, Int>>>()
    private val total = AtomicInteger()
    val complete = CompletableDeferred<Unit>()

    override fun onRecord(record: LogRecord) {
        if (record.loggerName != "burst") return
        val (stream, sequence) = record.message.split(' ').map(String::toInt)
        // One worker's records arrive on one reader thread, so the lists need no further locking.
        byStream.computeIfAbsent(stream) { ArrayList() } += sequence
        byThread.computeIfAbsent(record.threadName) { ArrayList() } += stream to sequence
        if (total.incrementAndGet() == expected) complete.complete(Unit)
    }
}

class LogBurstTest :
    FunSpec({
        test("100,000 records from four concurrent tasks arrive complete and in per-thread order, with the results") {
            val perTask = 25_000
            val listener = BurstListener(4 * perTask)
            ProcessPool {
                    maxWorkers = 1
                    tasksPerWorker = 5
                    forwardLogs { this.listener = listener }
                }
                .use { pool ->
                    val bursts = (0 until 4).map { pool.submit(BurstTask(it, perTask)) }
                    // A fifth task on the same worker, sent while the burst is under way, still gets its answer.
                    val quick = pool.submit(LogOnceTask("test.quick", "between the bursts"))
                    withTimeout(120_000) {
                        quick.await()
                        bursts.awaitAll().map { it.value } shouldBe List(4) { perTask.toLong() }
                        listener.complete.await()
                    }
                }
            listener.byStream.keys shouldBe setOf(0, 1, 2, 3)
            listener.byStream.values.forEach { it shouldBe (0 until perTask).toList() }
            listener.byThread.values.forEach { records ->
                records.groupBy({ it.first }, { it.second }).values.forEach { it shouldBe it.sorted() }
            }
        }
    })
