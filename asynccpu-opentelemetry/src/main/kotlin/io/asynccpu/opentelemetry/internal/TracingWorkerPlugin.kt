package io.asynccpu.opentelemetry.internal

import io.asynccpu.spi.InterceptedTask
import io.asynccpu.spi.WorkerContext
import io.asynccpu.spi.WorkerPlugin
import io.opentelemetry.api.GlobalOpenTelemetry
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.Context
import kotlin.coroutines.cancellation.CancellationException
import kotlinx.coroutines.withContext

/**
 * The worker's side of tracing: runs each request whose context carries a W3C trace context inside a child span of it,
 * made by the worker's `GlobalOpenTelemetry` (looked up per task, so an SDK the initializer installs is used; requests
 * without a trace context, like the initializer itself, are not traced and do not touch `GlobalOpenTelemetry`).
 *
 * Public in bytecode because the core instantiates it by name; not an API.
 */
internal class TracingWorkerPlugin : WorkerPlugin {
    private val pid = ProcessHandle.current().pid()

    override fun start(context: WorkerContext) {
        val workerId = context.workerId.toLong()
        context.interceptTasks { task, proceed ->
            if (!task.context.containsKey(TracingExtension.PREFIX + "traceparent")) {
                proceed()
            } else {
                traced(task, workerId, proceed)
            }
        }
    }

    private suspend fun traced(task: InterceptedTask, workerId: Long, proceed: suspend () -> Any?): Any? {
        val parent =
            W3CTraceContextPropagator.getInstance().extract(Context.root(), task.context, TracingExtension.Getter)
        val span =
            GlobalOpenTelemetry.getTracer(INSTRUMENTATION_NAME)
                .spanBuilder(task.description)
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setAttribute("asynccpu.task.id", task.id)
                .setAttribute("asynccpu.worker.id", workerId)
                .setAttribute("process.pid", pid)
                .startSpan()
        try {
            return withContext(SpanScope(parent.with(span), span)) { proceed() }
        } catch (e: CancellationException) {
            span.setAttribute("asynccpu.task.cancelled", true)
            throw e
        } catch (e: Throwable) {
            span.recordException(e)
            span.setStatus(StatusCode.ERROR, e.toString())
            throw e
        } finally {
            span.end()
        }
    }

    private companion object {
        const val INSTRUMENTATION_NAME = "io.asynccpu.opentelemetry"
    }
}
