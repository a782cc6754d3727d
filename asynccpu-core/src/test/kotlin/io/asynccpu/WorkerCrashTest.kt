package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.datatest.withData
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.withTimeout

class WorkerCrashTest :
    FunSpec({
        data class Crash(val how: String, val exitCode: Int?, val signal: Int?, val says: String)

        context("a worker that dies mid-task fails only that task with WorkerCrashedException and is replaced") {
            withData(
                nameFn = { "${it.how}" },
                Crash("exit", exitCode = 3, signal = null, says = "exited with code 3"),
                Crash("halt", exitCode = 4, signal = null, says = "exited with code 4"),
                Crash("sigkill", exitCode = 137, signal = 9, says = "SIGKILL"),
            ) { crash ->
                ProcessPool { maxWorkers = 1 }
                    .use { pool ->
                        val pid = pool.run(PidTask())
                        val e =
                            shouldThrow<WorkerCrashedException> {
                                withTimeout(30_000) { pool.run(ExitTask(crash.how)) }
                            }
                        e.pid shouldBe pid
                        e.exitCode shouldBe crash.exitCode
                        e.signal shouldBe crash.signal
                        e.message shouldContain crash.says
                        e.message shouldContain "ExitTask"
                        e.lastOutput shouldContain "[stderr] about to ${crash.how}"
                        // The pool replaces the worker; the next task succeeds.
                        withTimeout(30_000) { pool.run(PidTask()) } shouldNotBe pid
                    }
            }
        }

        test("an OutOfMemoryError in a task fails it with WorkerCrashedException naming the error") {
            ProcessPool {
                    maxWorkers = 1
                    jvmArgs += "-Xmx64m"
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val e = shouldThrow<WorkerCrashedException> { withTimeout(60_000) { pool.run(ExitTask("oom")) } }
                    e.pid shouldBe pid
                    e.message shouldContain "OutOfMemoryError"
                    withTimeout(30_000) { pool.run(SumOfSquares(4)) } shouldBe 14L
                }
        }

        test("other workers' tasks are untouched by a crash") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val lines = LineLatch()
                    val slow = pool.submit(SleepTask(1_500))
                    val crash = pool.submit(ExitTask("halt"))
                    shouldThrow<WorkerCrashedException> { crash.await() }
                    slow.await() shouldBe "slept 1500"
                    lines.lines.size shouldBe 0
                }
        }

        test("the crashed task is not retried") {
            val marker = java.nio.file.Files.createTempFile("asynccpu-retry", ".txt")
            java.nio.file.Files.delete(marker)
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    shouldThrow<WorkerCrashedException> { pool.run(MarkAndExitTask(marker.toString())) }
                    pool.run(SumOfSquares(2)) shouldBe 1L
                }
            java.nio.file.Files.readAllLines(marker) shouldBe listOf("ran")
        }
    })
