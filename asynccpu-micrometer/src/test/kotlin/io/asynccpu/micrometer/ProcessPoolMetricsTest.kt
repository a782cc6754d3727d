package io.asynccpu.micrometer

import io.asynccpu.ProcessPool
import io.asynccpu.WorkerCrashedException
import io.asynccpu.WorkerOutputListener
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

class ProcessPoolMetricsTest :
    FunSpec({
        test("7 successes, 2 task failures, 1 worker crash and 1 cancellation show exactly those counts") {
            val started = CompletableDeferred<Unit>()
            val output = WorkerOutputListener { _, _, line -> if (line == "started") started.complete(Unit) }
            ProcessPool {
                    name = "metered"
                    maxWorkers = 1
                    workerOutput = output
                }
                .use { pool ->
                    val registry = SimpleMeterRegistry()
                    ProcessPoolMetrics(pool, listOf(Tag.of("app", "test"))).bindTo(registry)

                    repeat(7) { pool.run(Square(it)) shouldBe it * it }
                    repeat(2) { shouldThrow<IllegalStateException> { pool.run(Fail("no")) } }
                    shouldThrow<WorkerCrashedException> { pool.run(Halt()) }
                    val sleeping = pool.submit(Sleep())
                    withTimeout(60_000) { started.await() }
                    sleeping.cancel()
                    withTimeout(60_000) { while (pool.stats().runningTasks > 0) delay(20) }

                    fun counter(name: String, vararg tags: String) =
                        registry
                            .get(name)
                            .tag("name", "metered")
                            .tag("app", "test")
                            .tags(*tags)
                            .functionCounter()
                            .count()
                    counter("asynccpu.tasks.succeeded") shouldBe 7.0
                    counter("asynccpu.tasks.failed", "kind", "remote") shouldBe 2.0
                    counter("asynccpu.tasks.failed", "kind", "crash") shouldBe 1.0
                    counter("asynccpu.tasks.failed", "kind", "cancelled") shouldBe 1.0
                    counter("asynccpu.tasks.failed", "kind", "encoding") shouldBe 0.0
                    counter("executor.completed") shouldBe 11.0
                    counter("asynccpu.tasks.submitted") shouldBe 11.0
                    counter("asynccpu.workers.started") shouldBe 2.0
                    counter("asynccpu.workers.crashed") shouldBe 1.0

                    val idle = registry.get("executor.idle").tag("name", "metered").functionTimer()
                    idle.count() shouldBe pool.stats().tasksStarted.toDouble()
                    idle.count() shouldBe 11.0
                    val run = registry.get("executor").tag("name", "metered").functionTimer()
                    run.count() shouldBe 11.0
                    run.totalTime(TimeUnit.NANOSECONDS) shouldBeGreaterThan 0.0

                    registry.get("executor.pool.size").tag("name", "metered").gauge().value() shouldBe 1.0
                    registry.get("executor.pool.max").gauge().value() shouldBe 1.0
                    registry.get("executor.queued").gauge().value() shouldBe 0.0
                    registry.get("executor.active").gauge().value() shouldBe 0.0
                    registry.get("asynccpu.workers").tag("state", "idle").gauge().value() shouldBe 1.0
                    registry.get("asynccpu.workers").tag("state", "busy").gauge().value() shouldBe 0.0
                }
        }
    })
