package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.awaitAll

class WorkerConfigurerTest :
    FunSpec({
        test("the configurer runs exactly once in each worker, before the worker's first task") {
            val collector = RecordCollector()
            val results =
                ProcessPool {
                        maxWorkers = 2
                        startEagerly = true
                        forwardLogs {
                            listener = collector
                            configurer = CountingConfigurer("test.cfg.verbose")
                        }
                    }
                    .use { pool ->
                        (0 until 8).map { pool.submit(ConfigurerProbeTask("test.cfg.verbose.probe")) }.awaitAll()
                    }
            // Every task saw the configurer's effect already in place, and only one run of it.
            results.map { it.value }.toSet() shouldBe setOf(1L)
            // The pool is closed, so everything the workers sent has been delivered.
            val configured = collector.of("test.configurer")
            configured.map { it.workerId }.sorted() shouldBe listOf(1, 2)
            configured.map { it.message }.toSet() shouldBe setOf("configured worker 1", "configured worker 2")
            // The level the configurer set let each task's DEBUG record through.
            val probes = collector.of("test.cfg.verbose.probe")
            probes.size shouldBe 8
            probes.all { it.level == LogLevel.DEBUG } shouldBe true
        }

        test("a failing configurer is reported as an ERROR record and the worker still serves tasks") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        listener = collector
                        configurer = FailingConfigurer
                    }
                }
                .use { pool ->
                    pool.run(LogOnceTask("test.after-failure", "still serving"))
                    val report = collector.awaitLogger("io.asynccpu.logging.WorkerConfigurer").single()
                    report.level shouldBe LogLevel.ERROR
                    report.message shouldContain FailingConfigurer::class.java.name
                    report.throwable.shouldNotBeNull().message shouldBe "configurer exploded"
                    collector.of("test.after-failure").single().message shouldBe "still serving"
                }
        }

        test("a configurer that is not serializable is refused when the pool is built") {
            val error =
                shouldThrow<IllegalArgumentException> { ProcessPool { forwardLogs { configurer = PlainConfigurer() } } }
            error.message.shouldNotBeNull() shouldContain "@Serializable"
        }

        test("forwarding twice on one builder is refused, and a pool without forwarding says so") {
            shouldThrow<IllegalStateException> {
                ProcessPool {
                    forwardLogs()
                    forwardLogs()
                }
            }
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    shouldThrow<IllegalStateException> { pool.logForwarding }.message.shouldNotBeNull() shouldContain
                        "forwardLogs"
                }
        }
    })
