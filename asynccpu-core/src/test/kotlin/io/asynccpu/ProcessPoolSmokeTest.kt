package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class ProcessPoolSmokeTest : FunSpec({
    test("a task runs in a child JVM and its result comes back") {
        ProcessPool { maxWorkers = 1 }.use { pool ->
            pool.run(SumOfSquares(10)) shouldBe 285L
            (pool.run(PidTask()) == ProcessHandle.current().pid()) shouldBe false
        }
    }
})
