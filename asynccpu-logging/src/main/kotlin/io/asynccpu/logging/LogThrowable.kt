package io.asynccpu.logging

import io.asynccpu.logging.internal.ThrowableRebuilder

/**
 * The throwable attached to a [LogRecord], as it was in the worker: class name, message, stack
 * frames, cause chain and suppressed exceptions. Chains are cut after 16 levels and frame lists after
 * 512 frames, so a pathological exception cannot flood the channel.
 *
 * @property className the fully qualified class name in the worker (`java.lang.IllegalStateException`).
 * @property message the message, or null if it had none.
 * @property frames the stack frames, innermost first.
 * @property cause the cause, or null.
 * @property suppressed the suppressed exceptions.
 */
public class LogThrowable internal constructor(
    public val className: String,
    public val message: String?,
    public val frames: List<LogStackFrame>,
    public val cause: LogThrowable?,
    public val suppressed: List<LogThrowable>,
) {
    /**
     * Rebuilds a [Throwable] in the caller's process, for handing to a logging framework.
     *
     * When [className] exists on the caller's class path, is a [Throwable] and has a `(String)`,
     * `(String, Throwable)` or no-argument constructor, the result is an instance of that class;
     * otherwise it is a stand-in whose `toString()` starts with [className] and the message. Either
     * way it carries the worker's frames as its stack trace, and its cause chain and suppressed
     * exceptions are rebuilt the same way. Never throws.
     */
    public fun toThrowable(): Throwable = ThrowableRebuilder.rebuild(this, LogThrowable::class.java.classLoader)

    override fun toString(): String = if (message == null) className else "$className: $message"
}
