package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.asynccpu.WorkerOutputListener
import io.asynccpu.WorkerStream
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import java.util.concurrent.ConcurrentLinkedQueue

class JulAndOutputForwardingTest :
    FunSpec({
        test("java.util.logging records in a worker are forwarded, filtered by level, and not printed twice") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    val seen = pool.run(JulTask())
                    val (info, warning) = collector.of("jul.test")
                    info.level shouldBe LogLevel.INFO
                    info.message shouldBe "jul one and 2"
                    info.threadName shouldBe seen.thread
                    info.taskId.shouldNotBeNull()
                    warning.level shouldBe LogLevel.WARN
                    warning.message shouldBe "jul warning"
                    warning.throwable.shouldNotBeNull().message shouldBe "jul failure"
                }
            collector.of("jul.test").size shouldBe 2 // FINE is below the INFO threshold
            collector.of(LogRecord.STDERR_LOGGER).filter { "jul" in it.message }.shouldBeEmpty()
        }

        test("stray stdout and stderr lines become records of the worker.stdout and worker.stderr loggers") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    val seen = pool.run(PrintTask("stray"))
                    val out =
                        collector
                            .await(1) { it.loggerName == LogRecord.STDOUT_LOGGER && it.message == "out: stray" }
                            .single()
                    out.level shouldBe LogLevel.INFO
                    out.workerPid shouldBe seen.pid
                    val err =
                        collector
                            .await(1) { it.loggerName == LogRecord.STDERR_LOGGER && it.message == "err: stray" }
                            .single()
                    err.level shouldBe LogLevel.WARN
                    err.workerId shouldBe 1
                }
        }

        test("with forwardOutput off, the pool's own workerOutput listener keeps the lines") {
            val collector = RecordCollector()
            val lines = ConcurrentLinkedQueue<String>()
            ProcessPool {
                    maxWorkers = 1
                    workerOutput = WorkerOutputListener { _, stream, line ->
                        if (stream == WorkerStream.STDOUT) lines += line
                    }
                    forwardLogs {
                        listener = collector
                        forwardOutput = false
                    }
                }
                .use { pool -> pool.run(PrintTask("kept")) }
            lines.toList() shouldBe listOf("out: kept")
            collector.of(LogRecord.STDOUT_LOGGER).shouldBeEmpty()
        }

        test("with java.util.logging forwarding off, JUL records are not forwarded as records") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        listener = collector
                        forwardJavaUtilLogging = false
                    }
                }
                .use { pool -> pool.run(JulTask()) }
            collector.of("jul.test").shouldBeEmpty()
            // JUL's own console handler printed it to stderr instead.
            collector.of(LogRecord.STDERR_LOGGER).any { "jul warning" in it.message } shouldBe true
        }
    })
