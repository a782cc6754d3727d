package io.asynccpu

import io.asynccpu.spi.PoolExtension
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.withTimeout

/** Issue 7, tests 3 and 5: a crash right after the answer, and a worker heap exhausted by a task. */
class WorkerFaultTest :
    FunSpec({
        test("a worker that halts right after writing its result still delivers that result, and is replaced") {
            val stopped = Channel<Long>(Channel.UNLIMITED)
            val stops =
                object : PoolExtension {
                    override val name = "stops"

                    override fun onWorkerStopped(worker: WorkerInfo) {
                        stopped.trySend(worker.pid)
                    }
                }
            ProcessPool {
                    maxWorkers = 1
                    install(stops)
                }
                .use { pool ->
                    repeat(5) { round ->
                        val pid = withTimeout(60_000) { pool.run(PidTask()) }
                        withTimeout(60_000) { pool.run(ResultThenHaltTask("kept $round")) } shouldBe "kept $round"
                        // The pool has seen the worker go (so the next task cannot be sent to the dead one) ...
                        withTimeout(60_000) { while (stopped.receive() != pid) continue }
                        // ... and replaces it.
                        withTimeout(60_000) { pool.run(PidTask()) } shouldNotBe pid
                    }
                }
        }

        test(
            "an OutOfMemoryError in a small worker heap fails only its task, names the error, and the worker is replaced"
        ) {
            ProcessPool {
                    maxWorkers = 2
                    jvmArgs += "-Xmx48m"
                }
                .use { pool ->
                    val beside = pool.submit(SleepTask(3_000))
                    val pid = pool.run(PidTask())
                    val e = shouldThrow<WorkerCrashedException> { withTimeout(120_000) { pool.run(ExitTask("oom")) } }
                    e.message shouldContain "OutOfMemoryError"
                    // The parent is unaffected: the task on the other worker completes, and the pool keeps serving.
                    withTimeout(60_000) { beside.await() } shouldBe "slept 3000"
                    eventually(10_000) { !isAlive(e.pid) }
                    val replacement = withTimeout(60_000) { List(4) { pool.run(PidTask()) } }
                    replacement.contains(e.pid) shouldBe false
                    withTimeout(60_000) { pool.run(SumOfSquares(4)) } shouldBe 14L
                    pid shouldNotBe -1L
                }
        }
    })
