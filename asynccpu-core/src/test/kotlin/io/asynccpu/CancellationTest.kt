package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout

class CancellationTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        test("cancelling a queued task removes it: it never runs") {
            val marker = Files.createTempFile("asynccpu-marker", ".txt")
            Files.delete(marker)
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val busy = pool.submit(SleepTask(1_000))
                    val queued = pool.submit(MarkerTask(marker.toString(), 0))
                    queued.cancel()
                    busy.await() shouldBe "slept 1000"
                    pool.run(SumOfSquares(3)) shouldBe 5L // the worker has moved past where the queued task was
                    Files.exists(marker) shouldBe false
                    queued.isCancelled shouldBe true
                }
        }

        test("cancelling a running task cancels its coroutine in the worker, which then serves the next task") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 30_000.milliseconds
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val running = pool.submit(SleepTask(60_000))
                    pool.submit(PidTask()) // queued behind it
                    lines.await("started")
                    running.cancel()
                    shouldThrow<CancellationException> { running.await() }
                    // Answered by the worker (not killed): the same process runs the next task promptly.
                    withTimeout(20_000) { pool.run(PidTask()) } shouldBe pid
                }
        }

        test("cancelling a task blocked in Thread.sleep interrupts its thread") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 30_000.milliseconds
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val running = pool.submit(BlockingSleepTask(60_000))
                    lines.await("started")
                    running.cancel()
                    withTimeout(20_000) { pool.run(PidTask()) } shouldBe pid
                }
        }

        test("a task that ignores cancellation has its worker killed after the grace period and replaced") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 300.milliseconds
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val stubborn = pool.submit(StubbornTask(120_000))
                    lines.await("started")
                    stubborn.cancel()
                    val next = withTimeout(30_000) { pool.run(PidTask()) }
                    next shouldNotBe pid
                    eventually { !ProcessHandle.of(pid).map { it.isAlive }.orElse(false) }
                }
        }

        test("withTimeout around run bounds the remote work") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 300.milliseconds
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    shouldThrow<TimeoutCancellationException> { withTimeout(500) { pool.run(StubbornTask(120_000)) } }
                    // The stubborn task was stopped by killing its worker; the pool carries on.
                    withTimeout(30_000) { pool.run(PidTask()) } shouldNotBe pid
                    eventually { !ProcessHandle.of(pid).map { it.isAlive }.orElse(false) }
                }
        }

        test("cancelling the caller of run cancels the remote task") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 30_000.milliseconds
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    coroutineScope {
                        val caller = async { pool.run(BlockingSleepTask(60_000)) }
                        lines.await("started")
                        caller.cancel()
                    }
                    withTimeout(20_000) { pool.run(PidTask()) } shouldBe pid
                }
        }
    })
