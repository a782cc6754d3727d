package io.asynccpu

import io.kotest.core.NamedTag
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlin.time.Duration.Companion.minutes
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/** Every caller was answered exactly once, no task ran twice, and the successful results are right. */
fun ChaosReport.shouldBeExactlyOnce() {
    unexpected.shouldBeEmpty()
    lost shouldBe 0
    duplicatedAnswers shouldBe 0
    duplicatedRuns shouldBe 0
    succeededButNotRunOnce shouldBe 0
    wrongResults shouldBe 0
    (results + errors + crashes + cancelled) shouldBe tasks
    // One running task per worker (tasksPerWorker = 1): a kill fails at most the task it interrupted.
    crashes shouldBeLessThanOrEqual kills
}

/**
 * Runs [block] with this pool and shuts it down whatever happens: a failed check must not leave workers (and a pool
 * that keeps them) behind to disturb the next tests.
 */
suspend fun <T> ProcessPool.closing(block: suspend (ProcessPool) -> T): T =
    try {
        block(this)
    } finally {
        withContext(NonCancellable) { shutdownNow() }
    }

/** The pool still answers on every worker, then closes and leaves no worker behind. */
suspend fun ProcessPool.shouldEndHealthy() {
    withTimeout(600_000) { // generous: workers killed last may still be restarting on a loaded machine
        repeat(2 * config.maxWorkers) { run(SumOfSquares(4)) shouldBe 14L }
    }
    withContext(Dispatchers.IO) { close() }
    eventually(10_000) { workerProcesses().isEmpty() }
}

/** A pool whose [workers] workers have all started and answered, so that the killer hits running workers. */
suspend fun warmPool(workers: Int): ProcessPool {
    val pool = ProcessPool {
        name = "chaos"
        maxWorkers = workers
        startEagerly = true
    }
    try {
        withTimeout(600_000) { (0 until 20 * workers).map { pool.submit(SumOfSquares(2)) }.awaitAll() }
    } catch (e: Throwable) {
        withContext(NonCancellable) { pool.shutdownNow() }
        throw e
    }
    return pool
}

/** Quick versions of the chaos checks, in the default run (the full ones are in [ChaosStressTest]). */
class ChaosTest :
    FunSpec({
        test(
            "600 tasks on 2 workers while a killer SIGKILLs a worker every 200 ms: each caller answered exactly once"
        ) {
            warmPool(2).closing { pool ->
                val report =
                    runChaos(
                        pool,
                        ChaosPlan(tasks = 600, workers = 2, killEveryMillis = 200, maxKills = 4, spinMicros = { 3_000 }),
                    )
                println("chaos (quick): $report")
                report.shouldBeExactlyOnce()
                report.kills shouldBeGreaterThan 0
                pool.shouldEndHealthy()
            }
        }

        test("the same with random callers cancelled and some tasks failing") {
            warmPool(2).closing { pool ->
                val plan =
                    ChaosPlan(
                        tasks = 600,
                        workers = 2,
                        killEveryMillis = 200,
                        maxKills = 4,
                        cancelEvery = 5,
                        failEvery = 11,
                        spinMicros = { 3_000 },
                        seed = 2,
                    )
                val report = runChaos(pool, plan)
                println("chaos (quick, cancellations): $report")
                report.shouldBeExactlyOnce()
                report.errors shouldBeGreaterThan 0
                report.cancelled shouldBeGreaterThan 0
                pool.shouldEndHealthy()
            }
        }
    })

/** Issue 7, test 1: 10,000 tasks on 4 workers under a SIGKILL every 200 ms. Profile `stress`. */
class ChaosStressTest :
    FunSpec({
        tags(NamedTag("Stress"))

        test("10,000 tasks on 4 workers while a killer SIGKILLs a random worker every 200 ms").config(
            timeout = 60.minutes
        ) {
            warmPool(4).closing { pool ->
                val report = runChaos(pool, ChaosPlan(tasks = 10_000, workers = 4, killEveryMillis = 200))
                println("chaos (stress): $report")
                report.shouldBeExactlyOnce()
                report.kills shouldBeGreaterThan 0
                pool.shouldEndHealthy()
            }
        }

        test("10,000 tasks on 4 workers under the killer, with random callers cancelled").config(timeout = 60.minutes) {
            warmPool(4).closing { pool ->
                val plan =
                    ChaosPlan(
                        tasks = 10_000,
                        workers = 4,
                        killEveryMillis = 200,
                        cancelEvery = 7,
                        failEvery = 50,
                        seed = 3,
                    )
                val report = runChaos(pool, plan)
                println("chaos (stress, cancellations): $report")
                report.shouldBeExactlyOnce()
                report.cancelled shouldBeGreaterThan 0
                pool.shouldEndHealthy()
            }
        }
    })
