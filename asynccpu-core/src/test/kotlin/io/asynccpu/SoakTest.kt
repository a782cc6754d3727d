package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.NamedTag
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlin.random.Random
import kotlin.time.Duration.Companion.minutes
import kotlinx.coroutines.awaitAll

/**
 * Issue 7, test 9: mixed load with random faults for `asynccpu.soak.minutes` (default 10) minutes, then one summary
 * line. Profile `soak` only: `./mvnw -pl asynccpu-core test -Psoak`.
 *
 * Each round runs a chaos plan with a random kill period, random task lengths, cancelled callers and failing tasks,
 * plus tasks that crash their own worker (exit, halt); every caller must be answered exactly once, and the pool must
 * end healthy.
 */
class SoakTest :
    FunSpec({
        tags(NamedTag("Soak"))
        val minutes = System.getProperty("asynccpu.soak.minutes")?.toLong() ?: 10L

        test("mixed load with random faults loses and duplicates nothing").config(timeout = (minutes + 15).minutes) {
            val random = Random(7)
            val pool = ProcessPool {
                name = "soak"
                maxWorkers = 3
            }
            val end = System.nanoTime() + minutes.minutes.inWholeNanoseconds
            var total = ChaosReport.EMPTY
            var selfCrashes = 0
            var rounds = 0
            while (System.nanoTime() < end) {
                rounds++
                val maxSpin = random.nextLong(1, 5_000)
                val plan =
                    ChaosPlan(
                        tasks = random.nextInt(500, 3_000),
                        workers = 3,
                        killEveryMillis = random.nextLong(150, 2_000),
                        cancelEvery = random.nextInt(3, 20),
                        failEvery = random.nextInt(5, 30),
                        spinMicros = { r -> r.nextLong(0, maxSpin) },
                        seed = random.nextLong(),
                    )
                val faults =
                    List(random.nextInt(0, 3)) { pool.submit(ExitTask(if (random.nextBoolean()) "halt" else "exit")) }
                val report = runChaos(pool, plan)
                faults.forEach { shouldThrow<WorkerCrashedException> { it.await() } }
                selfCrashes += faults.size
                report.shouldBeExactlyOnce()
                total += report
                println("soak round $rounds: $report selfCrashes=${faults.size}")
            }
            // The pool is still healthy after all of it.
            (0 until 100).map { pool.submit(SumOfSquares(4)) }.awaitAll().toSet() shouldBe setOf(14L)
            pool.shouldEndHealthy()
            println(
                "SOAK SUMMARY: minutes=$minutes rounds=$rounds tasks=${total.tasks} results=${total.results} " +
                    "errors=${total.errors} crashes=${total.crashes + selfCrashes} cancelled=${total.cancelled} " +
                    "faults=${total.kills + selfCrashes} (kills=${total.kills}, self-crashes=$selfCrashes) " +
                    "lost=${total.lost} duplicated=${total.duplicatedAnswers + total.duplicatedRuns}"
            )
            total.lost shouldBe 0
            (total.duplicatedAnswers + total.duplicatedRuns) shouldBe 0
        }
    })
