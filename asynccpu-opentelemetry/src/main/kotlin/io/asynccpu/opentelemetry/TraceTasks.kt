@file:JvmName("TaskTracing")

package io.asynccpu.opentelemetry

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.opentelemetry.internal.TracingExtension

/**
 * Traces each task with OpenTelemetry: the caller's current span travels with the task (W3C `traceparent` and
 * `tracestate`, read from `Context.current()` on the thread that calls `submit`) and the worker runs the task inside a
 * child span named after it ("task Resize", "function cpuBound"), of kind CONSUMER, with the attributes
 * `asynccpu.task.id`, `asynccpu.worker.id` and `process.pid`. While the task runs, the span is the worker's current
 * span (on whichever thread the task's coroutine runs) and the SLF4J MDC holds `trace_id`, `span_id` and `trace_flags`,
 * so the records asynccpu-logging's `forwardLogs` brings back carry them.
 *
 * ```
 * ProcessPool {
 *     traceTasks()
 *     jvmArgs += "-Dotel.java.global-autoconfigure.enabled=true"   // the worker's exporter
 * }
 * ```
 *
 * The worker's spans are made by the worker's `GlobalOpenTelemetry`: configure an SDK and exporter there (autoconfigure
 * through `jvmArgs`/`environment` with opentelemetry-sdk-extension-autoconfigure and an exporter on the worker's class
 * path, or `GlobalOpenTelemetry.set` in the pool's `initializer`), otherwise the spans are no-ops and cost next to
 * nothing. A task submitted outside any valid span is not traced (no root spans in the worker). A task that throws ends
 * its span with status ERROR and the exception recorded; a cancelled task's span ends with
 * `asynccpu.task.cancelled=true`; if the worker crashes, the span is lost with it (the caller's own span sees the crash
 * exception). Calling this again has no effect. From Java: `.configure(TaskTracing::traceTasks)`.
 */
public fun ProcessPoolBuilder.traceTasks() {
    install(TracingExtension())
}
