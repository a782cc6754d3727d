package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.asynccpu.withTaskId
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import org.slf4j.MDC

class MdcPropagationTest :
    FunSpec({
        test("two concurrent tasks on one worker each log with their own requestId, never the other's") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    tasksPerWorker = 2
                    forwardLogs { listener = collector }
                    propagateMdc("requestId")
                }
                .use { pool ->
                    val submitted =
                        listOf("r-1", "r-2").map { id ->
                            MDC.put("requestId", id)
                            try {
                                id to pool.withTaskId { submit(LogWithMdcTask(10)) }
                            } finally {
                                MDC.remove("requestId")
                            }
                        }
                    submitted.map { (_, task) -> task.handle.await() } shouldBe listOf("r-1", "r-2")
                    val records = collector.await(20) { it.loggerName == "test.mdc" }
                    for ((requestId, task) in submitted) {
                        val own = records.filter { it.taskId == task.taskId }
                        own.size shouldBe 10
                        own.map { it.mdc["requestId"] }.toSet() shouldBe setOf(requestId)
                    }
                    // Nothing leaks into a task submitted without a requestId.
                    pool.run(LogWithMdcTaskAlone()) shouldBe "none"
                }
        }
    })
