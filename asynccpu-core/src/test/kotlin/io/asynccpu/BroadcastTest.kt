package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitAll

class BroadcastTest :
    FunSpec({
        test("broadcast runs a task once in every live worker and later tasks read the state it set up") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.warmUp(2)
                    val pids = pool.broadcast(LoadTableTask(100))
                    pids.toSet() shouldBe pool.workerReports().map { it.worker.pid }.toSet()
                    pids.size shouldBe 2
                    val lookups = (0 until 20).map { pool.submit(LookupTask("k7")) }.awaitAll()
                    lookups.map { it.value }.toSet() shouldBe setOf("v7")
                    lookups.map { it.loads }.toSet() shouldBe setOf(1)
                }
        }

        test("a sticky broadcast also sets up workers started later, exactly once each") {
            ProcessPool {
                    maxWorkers = 1
                    maxTasksPerWorker = 3
                }
                .use { pool ->
                    pool.broadcast(LoadTableTask(10)).shouldBeEmpty() // no worker yet
                    val lookups = (0 until 9).map { pool.run(LookupTask("k3")) }
                    lookups.map { it.value }.toSet() shouldBe setOf("v3")
                    lookups.map { it.loads }.toSet() shouldBe setOf(1)
                    lookups.map { it.pid }.toSet().size shouldBe 3 // three recycled workers, each set up once
                }
        }

        test("a broadcast to current workers only leaves later workers without the state") {
            ProcessPool {
                    maxWorkers = 1
                    maxTasksPerWorker = 2
                }
                .use { pool ->
                    pool.warmUp(1)
                    pool.broadcast(LoadTableTask(10), toLaterWorkers = false).size shouldBe 1
                    // The first worker (which got the broadcast) serves two tasks; its replacement never got it.
                    val lookups = (0 until 3).map { pool.run(LookupTask("k1")) }
                    lookups.map { it.value } shouldBe listOf("v1", "v1", null)
                }
        }

        test("submitTo runs a task on the chosen worker") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.warmUp(2)
                    for (report in pool.workerReports()) {
                        repeat(3) { pool.submitTo(report.worker, PidTask()).await() shouldBe report.worker.pid }
                    }
                }
        }
    })
