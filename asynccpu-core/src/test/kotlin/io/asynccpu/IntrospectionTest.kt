package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.comparables.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import kotlin.time.Duration

class IntrospectionTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        test("stats count workers, busy and idle workers, pending and running tasks") {
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    val running = pool.submit(SleepTask(60_000))
                    val queued = listOf(pool.submit(SumOfSquares(3)), pool.submit(SumOfSquares(4)))
                    lines.await("started")
                    val stats = pool.stats()
                    stats.workers shouldBe 1
                    stats.busyWorkers shouldBe 1
                    stats.idleWorkers shouldBe 0
                    stats.pendingTasks shouldBe 2
                    stats.runningTasks shouldBe 1
                    running.cancel()
                    queued.map { it.await() } shouldBe listOf(5L, 14L)
                    pool.stats().idleWorkers shouldBe 1
                }
        }

        test("events tell a task's queued, started and finished steps with its times, and a worker's start and crash") {
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    pool.withEvents { log ->
                        pool.run(SumOfSquares(1_000)) shouldBe 332_833_500L
                        val finished = log.await<PoolEvent.TaskFinished>().single()
                        finished.outcome shouldBe PoolEvent.TaskFinished.Outcome.SUCCEEDED
                        finished.description shouldBe "task SumOfSquares"
                        finished.runTime shouldBeGreaterThan Duration.ZERO
                        (finished.queuedTime >= Duration.ZERO) shouldBe true
                        finished.worker shouldNotBe null
                        val steps =
                            log.all
                                .filter {
                                    it is PoolEvent.TaskQueued ||
                                        it is PoolEvent.TaskStarted ||
                                        it is PoolEvent.TaskFinished
                                }
                                .map { it.javaClass.simpleName }
                        steps shouldBe listOf("TaskQueued", "TaskStarted", "TaskFinished")
                        log.await<PoolEvent.WorkerStarted>()

                        shouldThrow<WorkerCrashedException> { pool.run(ExitTask("halt")) }
                        log.await<PoolEvent.WorkerCrashed>().single().error.exitCode shouldBe 4
                        log.await<PoolEvent.TaskFinished> { it.outcome == PoolEvent.TaskFinished.Outcome.CRASHED }
                    }
                }
        }

        test("workerReports give each worker's pid, tasks done, CPU time and resident memory") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    pool.run(SumOfSquares(10_000_000))
                    pool.run(SumOfSquares(3))
                    val report = pool.workerReports().single()
                    report.worker.pid shouldBe pid
                    report.tasksDone shouldBe 3L
                    report.tasksInFlight shouldBe 0
                    report.cpuTime!! shouldBeGreaterThan Duration.ZERO
                    report.residentMemoryBytes!! shouldBeGreaterThan (1L shl 20)
                }
        }
    })
