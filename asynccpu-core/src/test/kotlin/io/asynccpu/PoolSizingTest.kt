package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.awaitAll

class PoolSizingTest :
    FunSpec({
        test(
            "minWorkers start with the pool and idle workers above them retire after idleTimeout, down to minWorkers"
        ) {
            ProcessPool {
                    maxWorkers = 3
                    minWorkers = 1
                    idleTimeout = 400.milliseconds
                }
                .use { pool ->
                    pool.withEvents { log ->
                        log.await<PoolEvent.WorkerStarted>() // the minimum worker, without any task
                        val records = (0 until 3).map { pool.submit(TimedTask(it, millis = 300)) }.awaitAll()
                        records.map { it.pid }.toSet() shouldHaveSize 3 // grew on demand
                        val retired = log.await<PoolEvent.WorkerRetired>(count = 2)
                        retired.map { it.reason }.toSet() shouldBe setOf(PoolEvent.WorkerRetired.Reason.IDLE)
                        eventually { pool.stats().workers == 1 }
                        log.all.filterIsInstance<PoolEvent.WorkerCrashed>().shouldBeEmpty()
                        // It grows again on demand.
                        (0 until 3)
                            .map { pool.submit(TimedTask(it, millis = 300)) }
                            .awaitAll()
                            .map { it.index } shouldBe listOf(0, 1, 2)
                    }
                }
        }

        test("maxTasksPerWorker recycles a worker after that many tasks, each new worker serving the same number") {
            ProcessPool {
                    maxWorkers = 1
                    maxTasksPerWorker = 2
                }
                .use { pool ->
                    pool.withEvents { log ->
                        val pids = (0 until 6).map { pool.submit(PidTask()) }.awaitAll()
                        pids.groupingBy { it }.eachCount().values.toList() shouldBe listOf(2, 2, 2)
                        log.await<PoolEvent.WorkerRetired>(count = 3) {
                            it.reason == PoolEvent.WorkerRetired.Reason.RECYCLED
                        }
                        log.all.filterIsInstance<PoolEvent.WorkerCrashed>().shouldBeEmpty()
                    }
                }
        }

        test("warmUp starts workers ahead of demand and returns once they are ready") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.stats().workers shouldBe 0
                    pool.warmUp()
                    val stats = pool.stats()
                    stats.workers shouldBe 2
                    stats.idleWorkers shouldBe 2
                    stats.startingWorkers shouldBe 0
                    val reports = pool.workerReports()
                    reports.all { it.ready && it.worker.pid > 0 } shouldBe true
                    childPids().containsAll(reports.map { it.worker.pid }) shouldBe true
                    pool.warmUp(1) // already there: returns at once, starts nothing
                    pool.stats().workers shouldBe 2
                }
        }
    })
