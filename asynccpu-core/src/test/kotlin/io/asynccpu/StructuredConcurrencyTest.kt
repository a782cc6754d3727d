package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files
import java.nio.file.Path
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.Serializable

/** Waits [millis] (cancellably), then writes a marker file: the file exists only if it was not cancelled in time. */
@Serializable
class LateMarkerTask(val path: String, val millis: Long) : ProcessTask<String> {
    override suspend fun run(): String {
        println("started")
        delay(millis)
        Files.writeString(Path.of(path), "ran")
        return "marked"
    }
}

/** A Java-style task written in Kotlin, for the Kotlin forms that take a JavaTask class. */
class JavaSquare : JavaTask<Long, Long> {
    override fun call(input: Long): Long = input * input
}

@Serializable
class FailAfterStartTask(val message: String) : ProcessTask<String> {
    override suspend fun run(): String = throw IllegalStateException(message)
}

private fun missingFile(): Path = Files.createTempFile("asynccpu-structured", ".txt").also { Files.delete(it) }

private fun ProcessPool.idle(): Boolean =
    stats().let { it.runningTasks == 0 && it.pendingTasks == 0 && it.busyWorkers == 0 }

class StructuredConcurrencyTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        test(
            "withTimeout around three long tasks started with async cancels them remotely: no busy worker after the grace period"
        ) {
            ProcessPool {
                    maxWorkers = 3
                    cancelGracePeriod = 2.seconds
                    workerOutput = lines
                }
                .use { pool ->
                    pool.warmUp(3)
                    val markers = List(3) { missingFile() }
                    shouldThrow<TimeoutCancellationException> {
                        withTimeout(5.seconds) {
                            val calls = markers.map { pool.async(LateMarkerTask(it.toString(), 120_000)) }
                            lines.await("started", 3)
                            calls.awaitAll()
                        }
                    }
                    // Cancelled in the workers (not killed): each answers CANCELLED and is idle again.
                    eventually { pool.idle() }
                    markers.forEach { Files.exists(it) shouldBe false }
                    pool.run(SumOfSquares(3)) shouldBe 5L
                }
        }

        test("a failing sibling in awaitAll cancels the other tasks remotely: their marker files are never written") {
            ProcessPool {
                    maxWorkers = 3
                    cancelGracePeriod = 30.seconds
                    workerOutput = lines
                }
                .use { pool ->
                    pool.warmUp(3)
                    val markers = List(2) { missingFile() }
                    val failure =
                        shouldThrow<IllegalStateException> {
                            coroutineScope {
                                val slow = markers.map { pool.async(LateMarkerTask(it.toString(), 120_000)) }
                                lines.await("started", 2)
                                val failing = pool.async(FailAfterStartTask("boom"))
                                (slow + failing).awaitAll()
                            }
                        }
                    failure.message shouldBe "boom"
                    // If the siblings were not cancelled they would run for two minutes: the pool is idle only if they
                    // were.
                    eventually { pool.idle() }
                    markers.forEach { Files.exists(it) shouldBe false }
                }
        }

        test("cancelling the caller of async cancels the remote task; submit's Deferred is not tied to the caller") {
            ProcessPool {
                    maxWorkers = 2
                    cancelGracePeriod = 30.seconds
                    workerOutput = lines
                }
                .use { pool ->
                    val scopedMarker = missingFile()
                    var unscoped: kotlinx.coroutines.Deferred<String>? = null
                    shouldThrow<TimeoutCancellationException> {
                        withTimeout(3.seconds) {
                            unscoped = pool.submit(SleepTask(1_500))
                            pool.async(LateMarkerTask(scopedMarker.toString(), 120_000)).await()
                        }
                    }
                    unscoped!!.await() shouldBe "slept 1500" // the unscoped task ran to its end
                    eventually { pool.idle() }
                    Files.exists(scopedMarker) shouldBe false
                }
        }

        test("async outside a Job behaves as submit, and its result and failure arrive as with submit") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    coroutineScope {
                        pool.async(SumOfSquares(3)).await() shouldBe 5L
                        pool.async(JavaSquare::class.java, 7L).await() shouldBe 49L
                        pool.run(JavaSquare::class.java, 8L) shouldBe 64L
                    }
                }
        }

        test(
            "shutdownNow cancels queued and running tasks, kills a task that ignores cancellation, and leaves no worker"
        ) {
            val pool = ProcessPool {
                maxWorkers = 2
                cancelGracePeriod = 1.seconds
                workerOutput = lines
            }
            val running = listOf(pool.submit(StubbornTask(600_000)), pool.submit(BlockingSleepTask(600_000)))
            val queued = pool.submit(SumOfSquares(3))
            lines.await("started", 2)
            val pids = childPids()
            withTimeout(60.seconds) { pool.shutdownNow() }
            queued.isCancelled shouldBe true
            running.forEach { call ->
                val error = shouldThrow<Throwable> { call.await() }
                (error is CancellationException || error is WorkerCrashedException) shouldBe true
            }
            pids.forEach { isAlive(it) shouldBe false }
            shouldThrow<PoolClosedException> { pool.submit(SumOfSquares(1)) }
        }

        test("shutdown suspends until queued tasks finished and the workers exited; close afterwards is harmless") {
            val pool = ProcessPool { maxWorkers = 1 }
            val first = pool.submit(SleepTask(300))
            val second = pool.submit(SumOfSquares(3))
            pool.shutdown()
            first.await() shouldBe "slept 300"
            second.await() shouldBe 5L
            shouldThrow<PoolClosedException> { pool.submit(SumOfSquares(1)) }.shouldBeInstanceOf<PoolClosedException>()
            pool.close()
        }

        test("events is a SharedFlow that two collectors see at once") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val events: kotlinx.coroutines.flow.SharedFlow<PoolEvent> = pool.events
                    events.replayCache shouldBe emptyList()
                    coroutineScope {
                        val first = EventLog(this, pool)
                        val second = EventLog(this, pool)
                        pool.run(SumOfSquares(3))
                        first.await<PoolEvent.TaskFinished>()
                        second.await<PoolEvent.TaskFinished>()
                        first.stop()
                        second.stop()
                    }
                }
        }
    })
