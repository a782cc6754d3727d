package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThan
import io.kotest.matchers.shouldBe

class PoolStatsCountersTest :
    FunSpec({
        test("stats count tasks by outcome, worker starts and crashes, and total queue and run time") {
            val lines = LineLatch()
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    repeat(7) { pool.run(SumOfSquares(1_000)) }
                    repeat(2) { shouldThrow<ArithmeticException> { pool.run(ThrowingTask("arithmetic")) } }
                    shouldThrow<WorkerCrashedException> { pool.run(ExitTask("halt")) }
                    val sleeping = pool.submit(SleepTask(60_000))
                    lines.await("started")
                    sleeping.cancel()
                    eventually { pool.stats().runningTasks == 0 }

                    val stats = pool.stats()
                    stats.tasksSubmitted shouldBe 11
                    stats.tasksStarted shouldBe 11
                    stats.tasksSucceeded shouldBe 7
                    stats.tasksFailed shouldBe 2
                    stats.tasksCrashed shouldBe 1
                    stats.tasksCancelled shouldBe 1
                    stats.tasksFailedEncoding shouldBe 0
                    stats.tasksFinished shouldBe 11
                    stats.tasksTimed shouldBe 11
                    stats.totalRunNanos shouldBeGreaterThan 0
                    (stats.totalQueueNanos >= 0) shouldBe true
                    stats.workersStartedTotal shouldBe 2
                    stats.workersCrashedTotal shouldBe 1
                }
        }

        test("a submission refused for bad input is not counted") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    shouldThrow<TaskEncodingException> { pool.submit(NotSerializableTask(1)) }
                    pool.run(SumOfSquares(10)) shouldBe 285L
                    pool.stats().tasksSubmitted shouldBe 1
                    pool.stats().tasksSucceeded shouldBe 1
                }
        }
    })
