package io.asynccpu.logging

import io.asynccpu.logging.internal.ForwardedException
import io.asynccpu.spi.WireThrowable

/**
 * The throwable attached to a [LogRecord], as it was in the worker: class name, message, stack frames, cause chain and
 * suppressed exceptions. Chains are cut after 16 levels and frame lists after 512 frames, so a pathological exception
 * cannot flood the channel. It travels in the same form as a task's failure.
 *
 * @property className the fully qualified class name in the worker (`java.lang.IllegalStateException`).
 * @property message the message, or null if it had none.
 * @property frames the stack frames, innermost first.
 * @property cause the cause, or null.
 * @property suppressed the suppressed exceptions.
 */
public class LogThrowable internal constructor(private val wire: WireThrowable) {
    public val className: String = wire.className
    public val message: String? = wire.message
    public val frames: List<LogStackFrame> =
        wire.frames.map { LogStackFrame(it.className, it.methodName, it.fileName, it.lineNumber) }
    public val cause: LogThrowable? = wire.cause?.let(::LogThrowable)
    public val suppressed: List<LogThrowable> = wire.suppressed.map(::LogThrowable)

    /**
     * Rebuilds a [Throwable] in the caller's process, for handing to a logging framework.
     *
     * When [className] exists on the caller's class path, is a [Throwable] and has a `(String)`, `(String, Throwable)`
     * or no-argument constructor, the result is an instance of that class; otherwise it is a stand-in whose
     * `toString()` starts with [className] and the message. Either way it carries the worker's frames as its stack
     * trace, and its cause chain and suppressed exceptions are rebuilt the same way. Never throws.
     */
    public fun toThrowable(): Throwable = wire.rebuild(LogThrowable::class.java.classLoader, ::ForwardedException)

    override fun toString(): String = if (message == null) className else "$className: $message"
}
