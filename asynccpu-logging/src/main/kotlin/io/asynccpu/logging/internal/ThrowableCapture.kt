package io.asynccpu.logging.internal

import io.asynccpu.logging.LogStackFrame
import io.asynccpu.logging.LogThrowable
import java.util.IdentityHashMap

/**
 * Turns a throwable into its wire form (in the worker) and the wire form into a [LogThrowable] (in
 * the caller). Cause and suppressed chains stop at [MAX_DEPTH] and at cycles; frame lists at
 * [MAX_FRAMES]. A throwable whose `getMessage()` throws is recorded with the failure as its message.
 */
internal object ThrowableCapture {
    const val MAX_DEPTH: Int = 16
    const val MAX_FRAMES: Int = 512

    fun capture(t: Throwable): WireThrowable = capture(t, IdentityHashMap(), 0)

    private fun capture(t: Throwable, seen: IdentityHashMap<Throwable, Unit>, depth: Int): WireThrowable {
        seen[t] = Unit
        val cause = t.cause?.takeIf { it !in seen && depth < MAX_DEPTH }
        val message = try {
            t.message
        } catch (e: Exception) {
            "<getMessage() threw $e>"
        }
        return WireThrowable(
            className = t.javaClass.name,
            message = message,
            frames = t.stackTrace.take(MAX_FRAMES).map { WireFrame(it.className, it.methodName, it.fileName, it.lineNumber) },
            cause = cause?.let { capture(it, seen, depth + 1) },
            suppressed = t.suppressed.filter { it !in seen && depth < MAX_DEPTH }.map { capture(it, seen, depth + 1) },
        )
    }

    fun toLogThrowable(wire: WireThrowable): LogThrowable = LogThrowable(
        className = wire.className,
        message = wire.message,
        frames = wire.frames.map { LogStackFrame(it.className, it.method, it.file, it.line) },
        cause = wire.cause?.let(::toLogThrowable),
        suppressed = wire.suppressed.map(::toLogThrowable),
    )
}
