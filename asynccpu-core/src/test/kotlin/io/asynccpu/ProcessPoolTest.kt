package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withTimeout

class ProcessPoolTest :
    FunSpec({
        test("a task runs in a child JVM and its result comes back") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    pool.run(SumOfSquares(10)) shouldBe 285L
                    pool.run(PidTask()) shouldNotBe ProcessHandle.current().pid()
                }
        }

        test("workers start lazily: no child process exists before the first submit") {
            val before = childPids()
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    // Children of earlier specs may still be exiting: what matters is that this pool started none.
                    (childPids() - before).shouldBeEmpty()
                    val pid = pool.run(PidTask())
                    childPids() shouldContainExactlyInAnyOrderPlus listOf(pid)
                }
        }

        test("startEagerly starts every worker when the pool is built") {
            val before = childPids()
            ProcessPool {
                    maxWorkers = 2
                    startEagerly = true
                }
                .use { _ -> eventually { (childPids() - before).size == 2 } }
        }

        test("workers run WorkerMain from the caller's java.home with the configured JVM options") {
            ProcessPool {
                    maxWorkers = 1
                    jvmArgs += "-Dasynccpu.test.marker=42"
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val commandLine = commandLineOf(pid)
                    commandLine.first() shouldBe
                        java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString()
                    val args = commandLine.drop(1)
                    args shouldContainInOrder
                        listOf("-Dasynccpu.test.marker=42", "io.asynccpu.internal.worker.WorkerMain")
                }
        }

        test("ten tasks on three workers come back in submission order with at most three running at once") {
            ProcessPool { maxWorkers = 3 }
                .use { pool ->
                    val deferreds = (0 until 10).map { pool.submit(TimedTask(it, millis = 150)) }
                    val records = withTimeout(60_000) { deferreds.awaitAll() }
                    records.map { it.index } shouldContainExactly (0 until 10).toList()
                    records.map { it.pid }.toSet().size shouldBeLessThanOrEqual 3
                    // At each task's start instant, count the tasks whose [start, finish) contains it.
                    val maxOverlap =
                        records.maxOf { r ->
                            records.count { it.startedAt <= r.startedAt && r.startedAt < it.finishedAt }
                        }
                    maxOverlap shouldBeLessThanOrEqual 3
                }
        }

        test("submit returns at once with a Deferred that completes later") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val deferred = pool.submit(SleepTask(300))
                    deferred.isCompleted shouldBe false
                    deferred.await() shouldBe "slept 300"
                }
        }

        test("submit after close fails with PoolClosedException and close twice is harmless") {
            val pool = ProcessPool { maxWorkers = 1 }
            pool.run(SumOfSquares(3)) shouldBe 5L
            pool.close()
            pool.close()
            val e = shouldThrow<PoolClosedException> { pool.submit(SumOfSquares(3)) }
            e.message shouldContain "closed"
        }
    })
