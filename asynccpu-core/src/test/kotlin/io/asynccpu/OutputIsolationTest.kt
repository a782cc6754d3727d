package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitAll

class OutputIsolationTest :
    FunSpec({
        test("println, raw writes to FileDescriptor.out and stderr do not disturb any result") {
            val lines = LineLatch()
            ProcessPool {
                    maxWorkers = 2
                    workerOutput = lines
                }
                .use { pool ->
                    val mixed =
                        (0 until 20)
                            .map { i ->
                                if (i % 2 == 0) pool.submit(NoisyTask(50)) else pool.submit(SumOfSquares(i.toLong()))
                            }
                            .awaitAll()
                    mixed.forEachIndexed { i, value ->
                        value shouldBe (if (i % 2 == 0) 50 else (0 until i.toLong()).sumOf { it * it })
                    }
                }
        }

        test("what a task writes reaches the parent as lines tagged with the worker and the stream") {
            val lines = LineLatch()
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = lines
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    pool.run(NoisyTask(3)) shouldBe 3
                    lines.await("stderr line")
                    lines.await("raw bytes to fd 1")
                    val seen = lines.lines.map { (worker, stream, text) -> Triple(worker.pid, stream, text) }
                    seen shouldContain Triple(pid, WorkerStream.STDOUT, "stdout line 0")
                    seen shouldContain Triple(pid, WorkerStream.STDOUT, "stdout line 2")
                    seen shouldContain Triple(pid, WorkerStream.STDERR, "stderr line")
                    lines.lines.first { it.third == "stdout line 0" }.first.id shouldBe 1
                }
        }
    })
