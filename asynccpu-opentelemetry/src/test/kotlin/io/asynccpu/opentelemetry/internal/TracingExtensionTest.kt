package io.asynccpu.opentelemetry.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.maps.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.TraceState
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.Context
import io.opentelemetry.sdk.trace.SdkTracerProvider

class TracingExtensionTest :
    FunSpec({
        val tracer = SdkTracerProvider.builder().build().get("test")

        test("captures nothing outside a span") { TracingExtension().captureContext().shouldBeEmpty() }

        test("captures the current span as traceparent and tracestate, and the getter reads them back") {
            val state = TraceState.builder().put("vendor", "v1").build()
            val parent =
                Span.wrap(
                    io.opentelemetry.api.trace.SpanContext.create(
                        "0af7651916cd43dd8448eb211c80319c",
                        "b7ad6b7169203331",
                        io.opentelemetry.api.trace.TraceFlags.getSampled(),
                        state,
                    )
                )
            val span = tracer.spanBuilder("caller").setParent(Context.root().with(parent)).startSpan()
            val captured = span.makeCurrent().use { TracingExtension().captureContext() }
            captured.keys shouldBe setOf("otel.traceparent", "otel.tracestate")
            captured["otel.traceparent"] shouldBe "00-${span.spanContext.traceId}-${span.spanContext.spanId}-01"
            captured["otel.tracestate"] shouldBe "vendor=v1"
            val back =
                Span.fromContext(
                        W3CTraceContextPropagator.getInstance()
                            .extract(Context.root(), captured, TracingExtension.Getter)
                    )
                    .spanContext
            back.spanId shouldBe span.spanContext.spanId
            back.traceState.get("vendor") shouldBe "v1"
            back.isRemote shouldBe true
        }
    })
