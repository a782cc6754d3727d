package io.asynccpu

import io.kotest.assertions.fail
import io.kotest.core.NamedTag
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.minutes
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/** When, relative to the tasks, the test kills every worker of the pool. */
enum class KillMoment {
    /** As soon as the worker processes exist: most are still starting (no HELLO yet). */
    STARTING,

    /** Once N tasks have printed "started": every worker is busy and N more tasks wait behind them. */
    RUNNING,
}

/**
 * Issue 7, test 2: with N workers and 2N tasks queued, SIGKILL all N workers at once; every task must still end (result
 * or WorkerCrashedException) within a fixed deadline, at most N of them crash (only running tasks may), and the pool
 * serves again afterwards.
 */
suspend fun killRace(n: Int, moment: KillMoment) {
    val lines = LineLatch()
    ProcessPool {
            name = "kill-race"
            maxWorkers = n
            workerOutput = lines
        }
        .use { pool ->
            val tasks: List<Deferred<String>> = (0 until 2 * n).map { pool.submit(SleepTask(1_500)) }
            when (moment) {
                KillMoment.STARTING -> eventually(60_000) { workerProcesses().size == n }
                KillMoment.RUNNING -> eventually(120_000) { lines.lines.count { it.third == "started" } >= n }
            }
            val victims = workerProcesses()
            victims shouldHaveSize n
            victims.forEach { it.destroyForcibly() }
            var crashed = 0
            withTimeout(120_000) { // the fixed deadline: every one of the 2N tasks ends within it
                tasks.forEach { task ->
                    try {
                        task.await() shouldBe "slept 1500"
                    } catch (e: WorkerCrashedException) {
                        crashed++
                    } catch (e: Throwable) {
                        fail("a task ended with $e instead of a result or WorkerCrashedException")
                    }
                }
            }
            crashed shouldBeLessThanOrEqual n
            withTimeout(60_000) { pool.run(SumOfSquares(4)) shouldBe 14L }
        }
    withContext(Dispatchers.IO) { eventually(10_000) { workerProcesses().isEmpty() } }
}

private fun FunSpec.killRaces(workerCounts: List<Int>) {
    for (n in workerCounts) {
        for (moment in KillMoment.entries) {
            test("killing all $n workers while ${2 * n} tasks are queued and the workers are $moment ends every task")
                .config(timeout = 5.minutes) { killRace(n, moment) }
        }
    }
}

class KillRaceTest : FunSpec({ killRaces(listOf(2)) })

class KillRaceStressTest :
    FunSpec({
        tags(NamedTag("Stress"))
        killRaces(listOf(1, 2, 4, 8))
    })
