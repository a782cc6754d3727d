package io.asynccpu.opentelemetry.internal

import io.opentelemetry.api.trace.Span
import io.opentelemetry.context.Context
import io.opentelemetry.context.Scope
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement
import org.slf4j.MDC

/**
 * Makes [context] (holding the task's [span]) the current OpenTelemetry context, and puts the span's ids in the SLF4J
 * MDC (`trace_id`, `span_id`, `trace_flags`), on whichever thread the task's coroutine runs; restores the thread's
 * previous context and MDC values whenever it leaves.
 */
internal class SpanScope(private val context: Context, span: Span) : ThreadContextElement<SpanScope.Saved> {
    companion object Key : CoroutineContext.Key<SpanScope>

    private val entries: Array<Pair<String, String>> =
        span.spanContext.let {
            arrayOf("trace_id" to it.traceId, "span_id" to it.spanId, "trace_flags" to it.traceFlags.asHex())
        }

    override val key: CoroutineContext.Key<SpanScope>
        get() = Key

    override fun updateThreadContext(context: CoroutineContext): Saved {
        val previous = arrayOfNulls<String>(entries.size)
        for ((i, entry) in entries.withIndex()) {
            previous[i] = MDC.get(entry.first)
            MDC.put(entry.first, entry.second)
        }
        return Saved(this.context.makeCurrent(), previous)
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Saved) {
        oldState.scope.close()
        for ((i, entry) in entries.withIndex()) {
            val value = oldState.mdc[i]
            if (value == null) MDC.remove(entry.first) else MDC.put(entry.first, value)
        }
    }

    /** What [restoreThreadContext] puts back. */
    class Saved(val scope: Scope, val mdc: Array<String?>)
}
