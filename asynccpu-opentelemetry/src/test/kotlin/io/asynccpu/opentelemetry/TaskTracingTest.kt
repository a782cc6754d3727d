package io.asynccpu.opentelemetry

import io.asynccpu.ProcessPool
import io.asynccpu.logging.LogRecord
import io.asynccpu.logging.LogRecordListener
import io.asynccpu.logging.forwardLogs
import io.asynccpu.withTaskId
import io.kotest.assertions.throwables.shouldThrowAny
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import java.io.File
import java.nio.file.Files
import java.util.concurrent.ConcurrentLinkedQueue

class TaskTracingTest :
    FunSpec({
        test("each task runs in the worker in one child span of the caller's span; its log records carry the ids") {
            val spansFile = File(Files.createTempDirectory("asynccpu-otel").toFile(), "spans.tsv")
            val records = ConcurrentLinkedQueue<LogRecord>()
            val callerSpans = InMemorySpanExporter.create()
            val tracer =
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(callerSpans))
                    .build()
                    .get("test")
            val caller = tracer.spanBuilder("caller").startSpan()
            val tasks =
                ProcessPool {
                        maxWorkers = 1
                        tasksPerWorker = 2
                        initializer = InstallFileTracing(spansFile.path)
                        forwardLogs { listener = LogRecordListener { records += it } }
                        traceTasks()
                    }
                    .use { pool ->
                        val submitted =
                            caller.makeCurrent().use { (1..3).map { n -> pool.withTaskId { submit(TracedTask(n)) } } }
                        caller.end()
                        val seen = submitted.map { it.handle.await() }
                        val untraced = pool.run(TracedTask(0)) // outside any span: not traced
                        untraced.mdcTraceId shouldBe null
                        shouldThrowAny {
                            caller.makeCurrent().use { pool.withTaskId { submit(FailingTracedTask()) } }.handle.await()
                        }
                        submitted.map { it.taskId } to seen
                    }
            val (taskIds, seen) = tasks
            val lines = spansFile.readLines().map { it.split('\t') }
            val ok = lines.filter { it[0] == "task TracedTask" }
            ok.size shouldBe 3
            ok.map { it[5].toLong() }.toSet() shouldBe taskIds.toSet()
            for (line in lines) {
                line[1] shouldBe caller.spanContext.traceId
                line[3] shouldBe caller.spanContext.spanId
                line[4] shouldBe "CONSUMER"
                (line[6].toLong() == ProcessHandle.current().pid()) shouldBe false
            }
            lines.filter { it[0] == "task FailingTracedTask" }.map { it[7] } shouldBe listOf("ERROR")
            // The task saw its own span as current, and the same ids in the MDC, also after resuming.
            seen.map { it.spanId }.toSet() shouldBe ok.map { it[2] }.toSet()
            for (s in seen) {
                s.traceId shouldBe caller.spanContext.traceId
                s.mdcTraceId shouldBe s.traceId
                s.mdcSpanId shouldBe s.spanId
            }
            val logged = records.filter { it.loggerName == "test.trace" && it.message != "traced 0" }
            logged.size shouldBe 3
            logged.map { it.mdc["span_id"] }.toSet() shouldBe ok.map { it[2] }.toSet()
            logged.map { it.mdc["trace_id"] }.toSet() shouldBe setOf(caller.spanContext.traceId)
            records
                .filter { it.message == "traced 0" }
                .flatMap { r -> r.mdc.keys.filter { it == "trace_id" } }
                .shouldBeEmpty()
        }
    })
