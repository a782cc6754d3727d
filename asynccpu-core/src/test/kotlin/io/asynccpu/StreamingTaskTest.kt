package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import kotlinx.coroutines.flow.collect
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList

class StreamingTaskTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        test("a streaming task's values arrive in the caller's flow in order") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    pool.stream(CountStream(300)).toList() shouldBe (0 until 300).toList()
                    pool.stream(CountStream(0)).toList() shouldBe emptyList()
                }
        }

        test("back-pressure: the worker never sends more than the buffer ahead of the collector") {
            val consumed = Files.createTempFile("asynccpu-consumed", ".txt")
            Files.writeString(consumed, "0")
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    var n = 0
                    pool
                        .stream(CreditCheckingStream(200, window = 8, consumedFile = consumed.toString()), buffer = 8)
                        .collect { value ->
                            // Before consuming anything, the worker fills the window and then has to wait.
                            if (value == 0) lines.await("window full at 8")
                            value shouldBe n
                            n++
                            // Published (atomically: the worker must never read a half-written file) before the pool
                            // grants credit for it.
                            val next = Files.writeString(consumed.resolveSibling("${consumed.fileName}.tmp"), "$n")
                            Files.move(
                                next,
                                consumed,
                                java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            )
                        }
                    n shouldBe 200
                }
        }

        test("a flow that fails in the worker throws in the collector after the values before it") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val received = mutableListOf<Int>()
                    val e =
                        shouldThrow<IllegalArgumentException> {
                            pool.stream(CountStream(10, failAt = 5)).collect { received += it }
                        }
                    e.message shouldContain "stream failed at 5"
                    received shouldBe listOf(0, 1, 2, 3, 4)
                }
        }

        test("a collector that stops early cancels the flow in the worker, which then serves the next task") {
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    pool.stream(EndlessStream("endless")).take(5).toList() shouldBe listOf(0L, 1L, 2L, 3L, 4L)
                    lines.await("endless stopped")
                    pool.run(PidTask()) shouldBe pid
                }
        }
    })
