package io.asynccpu.opentelemetry.internal

import io.asynccpu.spi.PoolExtension
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapGetter
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * The caller's side of tracing: puts the W3C trace context of the submitting thread's current span into the request
 * context, under [PREFIX]. Its [TracingWorkerPlugin] opens the child span.
 */
internal class TracingExtension : PoolExtension {
    override val name: String = "asynccpu.opentelemetry"

    override val workerPlugins: List<String> = listOf(TracingWorkerPlugin::class.java.name)

    override fun captureContext(): Map<String, String> {
        val current = Context.current()
        if (!Span.fromContext(current).spanContext.isValid) return emptyMap()
        val carrier = HashMap<String, String>(4)
        W3CTraceContextPropagator.getInstance().inject(current, carrier, Setter)
        return carrier
    }

    private object Setter : TextMapSetter<MutableMap<String, String>> {
        override fun set(carrier: MutableMap<String, String>?, key: String, value: String) {
            carrier?.put(PREFIX + key, value)
        }
    }

    /** Reads the W3C fields back out of a request context. */
    object Getter : TextMapGetter<Map<String, String>> {
        override fun keys(carrier: Map<String, String>): Iterable<String> =
            carrier.keys.filter { it.startsWith(PREFIX) }.map { it.substring(PREFIX.length) }

        override fun get(carrier: Map<String, String>?, key: String): String? = carrier?.get(PREFIX + key)
    }

    companion object {
        /** Request-context keys that carry the W3C trace context start with this. */
        const val PREFIX: String = "otel."
    }
}
