package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.asynccpu.WorkerCrashedException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.withTimeout

class DeliveryGuaranteesTest :
    FunSpec({
        test("a worker reused for three tasks that each log once yields exactly three records") {
            val collector = RecordCollector()
            val pids =
                ProcessPool {
                        maxWorkers = 1
                        forwardLogs {
                            listener = collector
                            configurer = CountingConfigurer("unused")
                        }
                    }
                    .use { pool -> (1..3).map { pool.run(LogOnceTask("test.once", "task $it")).pid } }
            pids.toSet().size shouldBe 1
            // Closed: the worker has exited and everything it sent has been delivered.
            collector.of("test.once").map { it.message } shouldBe listOf("task 1", "task 2", "task 3")
        }

        test("records logged just before a task calls System.exit still arrive") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    withTimeout(120_000) {
                        shouldThrow<WorkerCrashedException> { pool.run(LogThenDieTask("exit", 500)) }
                    }
                    val records = collector.awaitLogger("test.last-words", 500)
                    records.map { it.message } shouldBe (0 until 500).map { "last words $it" }
                }
        }

        test("records logged just before a worker runs out of memory still arrive") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    jvmArgs += "-Xmx64m"
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    withTimeout(120_000) {
                        shouldThrow<WorkerCrashedException> { pool.run(LogThenDieTask("oom", 100)) }
                    }
                    collector.awaitLogger("test.last-words", 100).size shouldBe 100
                }
        }

        test("records logged by a cancelled task, also while it unwinds, arrive, and the worker goes on") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    val running = pool.submit(LogThenBlockTask())
                    collector.awaitLogger("test.cancel", 1)
                    running.cancel()
                    withTimeout(120_000) { shouldThrow<CancellationException> { running.await() } }
                    val records = collector.awaitLogger("test.cancel", 2)
                    records.map { it.message } shouldBe listOf("started", "cancelled, cleaning up")
                    records.map { it.taskId }.toSet().size shouldBe 1
                    pool.run(LogOnceTask("test.after-cancel", "next")).pid shouldBe records.first().workerPid
                }
        }
    })
