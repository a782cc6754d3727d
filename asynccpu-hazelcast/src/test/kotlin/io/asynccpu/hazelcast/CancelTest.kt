package io.asynccpu.hazelcast

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.withTimeout

class CancelTest :
    FunSpec({
        val cluster = TestCluster(1)
        afterSpec { cluster.close() }

        test("cancelling a running remote task stops it in the member's worker: its marker is never written") {
            val dir = Files.createTempDirectory("cancel").toFile()
            cluster.pool().use { pool ->
                val task = pool.submit(MarkedTask(0, dir.path, 4_000))
                eventually { File(dir, "0.started").exists() }
                task.cancel()
                // The task would write its marker 4 s after it started; wait past that plus the grace period.
                Thread.sleep(7_000)
                File(dir, "0.done").exists() shouldBe false
                // The member serves the next task.
                withTimeout(30_000) { pool.submit(SleepTask(1, 0)).await() } shouldBe 1
            }
        }

        test("cancelling one task of a batch cancels only that task") {
            val dir = Files.createTempDirectory("cancel-batch").toFile()
            cluster.pool().use { pool ->
                val tasks = (0 until 2).map { pool.submit(MarkedTask(it, dir.path, 3_000)) }
                eventually { File(dir, "0.started").exists() && File(dir, "1.started").exists() }
                tasks[1].cancel()
                withTimeout(30_000) { tasks[0].await() } shouldBe 0
                Thread.sleep(3_000)
                File(dir, "1.done").exists() shouldBe false
            }
        }
    })
