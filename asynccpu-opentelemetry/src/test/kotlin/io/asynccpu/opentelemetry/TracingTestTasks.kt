package io.asynccpu.opentelemetry

import io.asynccpu.ProcessTask
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.trace.Span
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.common.CompletableResultCode
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import io.opentelemetry.sdk.trace.export.SpanExporter
import java.io.File
import kotlinx.coroutines.delay
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory
import org.slf4j.MDC

/** The worker's initializer in tests: installs an SDK whose exporter appends each finished span to [path]. */
@Serializable
class InstallFileTracing(val path: String) : ProcessTask<Unit> {
    override suspend fun run() {
        val provider =
            SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(FileSpanExporter(File(path))))
                .build()
        GlobalOpenTelemetry.set(OpenTelemetrySdk.builder().setTracerProvider(provider).build())
    }
}

/** One line per span: name, trace id, span id, parent span id, kind, task id, pid, status. */
class FileSpanExporter(private val file: File) : SpanExporter {
    override fun export(spans: Collection<SpanData>): CompletableResultCode {
        synchronized(this) {
            for (s in spans) {
                val a = s.attributes.asMap().mapKeys { it.key.key }
                file.appendText(
                    listOf(
                            s.name,
                            s.traceId,
                            s.spanId,
                            s.parentSpanId,
                            s.kind,
                            a["asynccpu.task.id"],
                            a["process.pid"],
                            s.status.statusCode,
                        )
                        .joinToString("\t") + "\n"
                )
            }
        }
        return CompletableResultCode.ofSuccess()
    }

    override fun flush(): CompletableResultCode = CompletableResultCode.ofSuccess()

    override fun shutdown(): CompletableResultCode = CompletableResultCode.ofSuccess()
}

/** What the task saw in the worker: the current span's ids and the MDC's. */
@Serializable
data class SeenIds(val traceId: String, val spanId: String, val mdcTraceId: String?, val mdcSpanId: String?)

/** Logs one line after suspending (so it may resume on another thread) and reports the ids it saw. */
@Serializable
class TracedTask(val n: Int) : ProcessTask<SeenIds> {
    override suspend fun run(): SeenIds {
        delay(5)
        LoggerFactory.getLogger("test.trace").warn("traced {}", n)
        val ctx = Span.current().spanContext
        return SeenIds(ctx.traceId, ctx.spanId, MDC.get("trace_id"), MDC.get("span_id"))
    }
}

/** Fails, so its span must end with status ERROR. */
@Serializable
class FailingTracedTask : ProcessTask<Unit> {
    override suspend fun run(): Unit = throw IllegalStateException("boom")
}
