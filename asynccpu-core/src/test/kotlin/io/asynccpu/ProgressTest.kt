package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.toList

class ProgressTest :
    FunSpec({
        test("a task's progress reports reach the caller in order and the flow completes with the task") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val tracked = pool.submitWithProgress(ProgressTask(5))
                    val reports = async { tracked.progress.toList() }
                    tracked.result.await() shouldBe "done 5"
                    val seen = reports.await()
                    seen.map { it.value } shouldBe listOf(0.2, 0.4, 0.6, 0.8, 1.0)
                    seen.last().message shouldBe "step 5 of 5"
                }
        }

        test("reportProgress outside a tracked submission or outside a worker is harmless") {
            ProcessPool { maxWorkers = 1 }.use { pool -> pool.run(ProgressTask(3)) shouldBe "done 3" }
            ProgressTask(2).run() shouldBe "done 2"
        }
    })
