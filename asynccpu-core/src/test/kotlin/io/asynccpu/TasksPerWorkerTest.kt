package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitAll

class TasksPerWorkerTest :
    FunSpec({
        test("with tasksPerWorker = 4 one worker runs four suspending tasks at once on its own dispatcher") {
            ProcessPool {
                    maxWorkers = 1
                    tasksPerWorker = 4
                }
                .use { pool ->
                    // Each task waits (suspended) until all four have arrived in the same worker: this only
                    // finishes if the worker runs them concurrently.
                    val pids = (0 until 4).map { pool.submit(BarrierTask(4)) }.awaitAll()
                    pids.toSet().size shouldBe 1
                }
        }
    })
