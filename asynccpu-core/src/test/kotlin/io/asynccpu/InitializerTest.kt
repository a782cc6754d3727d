package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files

class InitializerTest :
    FunSpec({
        test("the initializer runs once in each worker before its first task, the finalizer when the worker retires") {
            val finalized = Files.createTempFile("asynccpu-final", ".txt")
            val pool = ProcessPool {
                maxWorkers = 2
                initializer = InitTask("ready")
                finalizer = AppendPidTask(finalized.toString())
            }
            val pids =
                pool.use {
                    pool.run(ReadStateTask("init")) shouldBe "ready"
                    pool.warmUp(2)
                    (0 until 6).map { pool.run(ReadStateTask("initCount")) }.toSet() shouldBe setOf("1")
                    pool.workerReports().map { it.worker.pid }
                }
            Files.readAllLines(finalized).map { it.toLong() } shouldContainAll pids
        }

        test(
            "an initializer that keeps failing breaks the pool after maxStartAttempts workers; restore() makes it usable"
        ) {
            val required = Files.createTempFile("asynccpu-required", ".txt")
            Files.delete(required)
            ProcessPool {
                    maxWorkers = 1
                    maxStartAttempts = 2
                    initializer = InitTask("late", required.toString())
                    workerOutput = WorkerOutputListener { _, _, _ -> }
                }
                .use { pool ->
                    pool.withEvents { log ->
                        val queued = pool.submit(PidTask())
                        val broken = shouldThrow<BrokenPoolException> { queued.await() }
                        broken.cause.shouldBeInstanceOf<IllegalStateException>()
                        broken.cause!!.message shouldContain "is missing"
                        log.await<PoolEvent.PoolBroken>()
                        // Exactly maxStartAttempts workers were tried: no endless respawn.
                        log.all.filterIsInstance<PoolEvent.WorkerRetired>().map { it.reason } shouldBe
                            List(2) { PoolEvent.WorkerRetired.Reason.SETUP_FAILED }
                        shouldThrow<BrokenPoolException> { pool.submit(PidTask()) }.cause!!.message shouldContain
                            "is missing"
                        shouldThrow<BrokenPoolException> { pool.check() }
                        eventually { pool.stats().workers == 0 }

                        Files.writeString(required, "now it exists")
                        pool.restore()
                        pool.check()
                        pool.run(ReadStateTask("init")) shouldBe "late"
                    }
                }
        }

        test("test() runs a probe in a throw-away worker and surfaces a failing initializer or a bad JVM option") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    pool.test()
                    pool.stats().workers shouldBe 0 // the pool itself started nothing
                }
            val missing = Files.createTempFile("asynccpu-missing", ".txt").also { Files.delete(it) }
            ProcessPool {
                    initializer = InitTask("x", missing.toString())
                    workerOutput = WorkerOutputListener { _, _, _ -> }
                }
                .use { pool ->
                    val e = shouldThrow<BrokenPoolException> { pool.test() }
                    e.cause!!.message shouldContain "is missing"
                    pool.check() // the pool itself is not broken by its probe
                }
            ProcessPool {
                    jvmArgs += "-XX:+NoSuchAsyncCpuOption"
                    workerOutput = WorkerOutputListener { _, _, _ -> }
                }
                .use { pool ->
                    shouldThrow<BrokenPoolException> { pool.test() }.cause.shouldBeInstanceOf<WorkerCrashedException>()
                }
        }
    })
