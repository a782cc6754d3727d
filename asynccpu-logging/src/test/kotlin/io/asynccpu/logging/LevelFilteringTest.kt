package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Paths
import kotlin.streams.toList

class LevelFilteringTest :
    FunSpec({
        test("a call below the worker's threshold is neither encoded nor sent") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        level = LogLevel.INFO
                        listener = collector
                    }
                }
                .use { pool ->
                    val probe = pool.run(LevelProbeTask("test.levels", calls = 1_000))
                    probe.thread shouldBe "INFO,NOP-DEBUG"
                    probe.value shouldBe 1_000L // only the INFO calls were encoded
                    val records = collector.of("test.levels")
                    records.size shouldBe 1_000
                    records.all { it.level == LogLevel.INFO } shouldBe true
                }
        }

        test("per-logger levels apply to the logger and its descendants, the longest name winning") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        listener = collector
                        levels["test.verbose"] = LogLevel.DEBUG
                        levels["test.verbose.quiet"] = LogLevel.WARN
                    }
                }
                .use { pool ->
                    pool.run(LevelProbeTask("test.verbose.child")).let {
                        it.thread shouldBe "DEBUG,INFO"
                        it.value shouldBe 3L
                    }
                    pool.run(LevelProbeTask("test.verbose.quiet.child")).let {
                        it.thread shouldBe "NOP-DEBUG"
                        it.value shouldBe 0L
                    }
                    pool.run(LevelProbeTask("test.verbosely")).thread shouldBe "INFO,NOP-DEBUG"
                    collector.of("test.verbose.quiet.child").shouldBeEmpty()
                    collector.of("test.verbose.child").map { it.level } shouldBe
                        listOf(LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.INFO)
                }
        }

        test("levels changed on a live pool apply to the next task on a running worker") {
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = RecordCollector() }
                }
                .use { pool ->
                    val forwarding = pool.logForwarding
                    val first = pool.run(LevelProbeTask("test.live"))
                    first.thread shouldBe "INFO,NOP-DEBUG"

                    forwarding.setLevel(LogLevel.DEBUG)
                    val second = pool.run(LevelProbeTask("test.live"))
                    second.thread shouldBe "DEBUG,INFO"
                    second.pid shouldBe first.pid

                    forwarding.setLevel("test.live", LogLevel.ERROR)
                    pool.run(LevelProbeTask("test.live")).thread shouldBe "NOP-DEBUG"
                    pool.run(LevelProbeTask("test.other")).thread shouldBe "DEBUG,INFO"

                    forwarding.setLevel("test.live", null)
                    pool.run(LevelProbeTask("test.live")).thread shouldBe "DEBUG,INFO"
                    forwarding.level shouldBe LogLevel.DEBUG
                    forwarding.levels shouldBe emptyMap()
                }
        }

        test("a worker started after a level change begins its first task with the new level") {
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = RecordCollector() }
                }
                .use { pool ->
                    pool.logForwarding.setLevel(LogLevel.TRACE) // no worker exists yet
                    pool.run(LevelProbeTask("test.fresh")).thread shouldBe "TRACE,DEBUG,INFO"
                }
        }

        test("a level change while a worker is still starting reaches it before its first task") {
            ProcessPool {
                    maxWorkers = 1
                    startEagerly = true
                    forwardLogs { listener = RecordCollector() }
                }
                .use { pool ->
                    pool.logForwarding.setLevel(
                        LogLevel.TRACE
                    ) // the worker exists; its JVM may not have said HELLO yet
                    pool.run(LevelProbeTask("test.starting")).thread shouldBe "TRACE,DEBUG,INFO"
                }
        }

        test("settings travel on the side channel only: no settings file, nothing on the worker command line") {
            // Where the settings file used to be created (Files.createTempFile("asynccpu-logging-", ...)).
            val tmp = Paths.get(System.getProperty("java.io.tmpdir"))
            fun settingsFiles(): Set<String> =
                Files.list(tmp).use { files ->
                    files.map { it.fileName.toString() }.filter { it.startsWith("asynccpu-logging-") }.toList().toSet()
                }
            val before = settingsFiles()
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        level = LogLevel.DEBUG
                        listener = collector
                    }
                }
                .use { pool ->
                    pool.config.jvmArgs
                        .filter { "asynccpu.logging.settings" in it }
                        .shouldBeEmpty() // the old file's property
                    // The level set before the worker existed applies to its first task.
                    pool.run(LevelProbeTask("test.nofile")).thread shouldBe "DEBUG,INFO"
                    collector.of("test.nofile").map { it.level } shouldBe
                        listOf(LogLevel.DEBUG, LogLevel.DEBUG, LogLevel.INFO)
                    pool.logForwarding.setLevel(LogLevel.WARN)
                    pool.run(LevelProbeTask("test.nofile")).thread shouldBe "NOP-DEBUG"
                    (settingsFiles() - before).shouldBeEmpty()
                }
        }
    })
