package io.asynccpu

import io.asynccpu.userfunctions.failAtThirteen
import io.asynccpu.userfunctions.sleepyIdentity
import io.asynccpu.userfunctions.slowSquare
import io.asynccpu.userfunctions.squareOf
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.catch
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch

class MapTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        test("map over an Iterable returns the results in input order") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.map(::squareOf, (0 until 1_000).toList(), chunkSize = 7).toList() shouldBe
                        (0 until 1_000).map { it.toLong() * it }
                }
        }

        test("unordered map returns every result once, in any order") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val results = pool.map(::squareOf, 0 until 500, chunkSize = 3, ordered = false).toList()
                    results.sorted() shouldBe (0 until 500).map { it.toLong() * it }
                }
        }

        test(
            "map over an infinite Sequence reads only what the collector takes, with a bounded number of chunks in flight"
        ) {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val inputs = generateSequence(0) { it + 1 }
                    pool.map(::squareOf, inputs, chunkSize = 10, buffer = 2).take(55).toList() shouldBe
                        (0 until 55).map { it.toLong() * it }
                }
        }

        test("map over a Flow with a suspend function") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.map(::slowSquare, (0 until 50).asFlow(), chunkSize = 4).toList() shouldBe
                        (0 until 50).map { it.toLong() * it }
                }
        }

        test("an error in one item surfaces at that item, after the results before it") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val delivered = mutableListOf<Int>()
                    val e =
                        shouldThrow<IllegalArgumentException> {
                            pool.map(::failAtThirteen, 0 until 40, chunkSize = 5).collect { delivered += it }
                        }
                    e.message shouldContain "thirteen"
                    delivered shouldBe (0 until 13).toList()
                    // The unordered form also delivers the failing chunk's earlier items first.
                    val unordered = mutableListOf<Int>()
                    pool
                        .map(::failAtThirteen, 10 until 16, chunkSize = 6, ordered = false)
                        .catch { unordered += -1 }
                        .collect { unordered += it }
                    unordered shouldBe listOf(10, 11, 12, -1)
                }
        }

        test(
            "an exception from the input surfaces after the results of every input before it, the partly filled chunk's too"
        ) {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val inputs = flow {
                        for (i in 0 until 10) {
                            if (i == 7) throw IllegalStateException("input 7 is broken")
                            emit(i)
                        }
                    }
                    for (ordered in listOf(true, false)) {
                        val delivered = mutableListOf<Long>()
                        val e =
                            shouldThrow<IllegalStateException> {
                                pool.map(::squareOf, inputs, chunkSize = 3, ordered = ordered).collect {
                                    delivered += it
                                }
                            }
                        e.message shouldBe "input 7 is broken"
                        delivered.sorted() shouldBe (0 until 7).map { it.toLong() * it }
                    }
                }
        }

        test("cancelling the collector cancels the chunks running in the workers") {
            ProcessPool {
                    maxWorkers = 2
                    workerOutput = lines
                    cancelGracePeriod = 60.seconds
                }
                .use { pool ->
                    pool.warmUp(2)
                    val pids = pool.workerReports().map { it.worker.pid }.toSet()
                    pool.withEvents { log ->
                        val job = launch { pool.map(::sleepyIdentity, 0 until 10, buffer = 2).collect() }
                        lines.await("map item 0 started")
                        lines.await("map item 1 started")
                        job.cancelAndJoin()
                        log.await<PoolEvent.TaskFinished>(count = 2) {
                            it.outcome == PoolEvent.TaskFinished.Outcome.CANCELLED
                        }
                        // The workers answer the CANCELs (they are not killed) and keep serving.
                        eventually { pool.stats().runningTasks == 0 }
                        pool.workerReports().map { it.worker.pid }.toSet() shouldBe pids
                    }
                }
        }
    })
