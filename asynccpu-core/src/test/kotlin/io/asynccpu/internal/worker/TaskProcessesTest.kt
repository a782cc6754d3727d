package io.asynccpu.internal.worker

import io.asynccpu.LineLatch
import io.asynccpu.PidTask
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.eventually
import io.asynccpu.isAlive
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.Serializable

/** Issue 11, item 3: the processes a cancelled task started are stopped; the worker lives on. */
class TaskProcessesTest :
    FunSpec({
        val lines = LineLatch()
        beforeEach { lines.clear() }

        /**
         * Runs [task] (which starts `sleep 1000` and prints its pid), cancels it, and checks that the sleep is gone.
         */
        suspend fun cancelAndExpectChildStopped(task: ProcessTask<String>) {
            // A long grace period: the worker must stop the child itself, not be killed for an unanswered CANCEL.
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                    cancelGracePeriod = 60.seconds
                }
                .use { pool ->
                    val worker = pool.run(PidTask())
                    val running = pool.submit(task)
                    val child = childPid(lines)
                    try {
                        isAlive(child) shouldBe true
                        running.cancel()
                        shouldThrow<CancellationException> { running.await() }
                        eventually(20_000) { !isAlive(child) }
                        withTimeout(20_000) { pool.run(PidTask()) } shouldBe worker // the same worker serves on
                    } finally {
                        ProcessHandle.of(child).ifPresent {
                            it.destroyForcibly()
                        } // never leave one behind, whatever the outcome
                    }
                }
        }

        test(
            "cancelling a task that waits on a process it started stops that process, and the worker serves the next task"
        ) {
            cancelAndExpectChildStopped(WaitForChildTask(onIoDispatcher = false))
        }

        test("a process started after withContext(Dispatchers.IO) is stopped too") {
            cancelAndExpectChildStopped(WaitForChildTask(onIoDispatcher = true))
        }

        test("a task blocked reading its process's output (not interruptible) ends as soon as the process is stopped") {
            cancelAndExpectChildStopped(ReadChildOutputTask())
        }

        test("a process a task started is left running when the task ends normally") {
            ProcessPool {
                    workerOutput = lines
                    maxWorkers = 1
                }
                .use { pool ->
                    val child = pool.run(StartChildTask())
                    try {
                        pool.run(PidTask()) // another task ran to its end on the same worker meanwhile
                        isAlive(child) shouldBe true
                    } finally {
                        ProcessHandle.of(child).ifPresent { it.destroyForcibly() }
                    }
                }
        }
    })

private suspend fun childPid(lines: LineLatch): Long {
    lines.await("child ")
    return lines.lines.map { it.third }.first { it.startsWith("child ") }.removePrefix("child ").trim().toLong()
}

/** Starts `sleep 1000` (on the IO dispatcher if asked), prints its pid and waits for it, interruptibly. */
@Serializable
class WaitForChildTask(val onIoDispatcher: Boolean) : ProcessTask<String> {
    override suspend fun run(): String {
        fun startAndWait(): String {
            val sleep = ProcessBuilder("sleep", "1000").start()
            println("child ${sleep.pid()}")
            return "exit ${sleep.waitFor()}"
        }
        return if (onIoDispatcher) withContext(Dispatchers.IO) { startAndWait() } else startAndWait()
    }
}

/** Starts `sleep 1000`, prints its pid and blocks reading its output, which an interrupt does not end. */
@Serializable
class ReadChildOutputTask : ProcessTask<String> {
    override suspend fun run(): String {
        val sleep = ProcessBuilder("sleep", "1000").start()
        println("child ${sleep.pid()}")
        return "read ${sleep.inputStream.read()}"
    }
}

/** Starts `sleep 1000` and returns its pid at once. */
@Serializable
class StartChildTask : ProcessTask<Long> {
    override suspend fun run(): Long = ProcessBuilder("sleep", "1000").start().pid()
}
