package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure

/**
 * A throwable in the one form in which asynccpu carries throwables between processes (the form a task's failure travels
 * in), for other asynccpu modules that send throwables of their own, such as the exceptions attached to forwarded log
 * records.
 *
 * [capture] it where it was thrown, send [toBytes], read it back with [fromBytes] in the other process, and [rebuild]
 * it there. Capture keeps the class name, the message, up to 512 stack frames, and the cause chain and suppressed
 * exceptions down to 16 levels (cycles are cut); a throwable whose `getMessage()` throws is captured with that failure
 * as its message.
 *
 * @suppress
 */
@InternalAsyncCpuApi
public class WireThrowable private constructor(private val failure: RemoteFailure) {
    /** The fully qualified class name where it was thrown (`java.lang.IllegalStateException`). */
    public val className: String
        get() = failure.className

    /** The message, or null if it had none. */
    public val message: String?
        get() = failure.message

    /** The stack frames where it was thrown, innermost first. */
    public val frames: List<StackTraceElement>
        get() = failure.frames.map { StackTraceElement(it.className, it.method, it.file, it.line) }

    /** The cause, or null. */
    public val cause: WireThrowable?
        get() = failure.cause?.let(::WireThrowable)

    /** The suppressed exceptions. */
    public val suppressed: List<WireThrowable>
        get() = failure.suppressed.map(::WireThrowable)

    /** The encoded form, for [fromBytes] in another process. */
    public fun toBytes(): ByteArray = ProtocolCbor.encodeToByteArray(RemoteFailure.serializer(), failure)

    /**
     * A [Throwable] in this process: an instance of [className] when [loader] can load it, it is a concrete `Throwable`
     * (checked before the class is initialised) and it has a `(String, Throwable)`, `(String)` or `()` constructor that
     * keeps the message; otherwise what [standIn] makes of the class name, message and (already rebuilt) cause. Either
     * way it carries [frames] as its stack trace, and its cause chain and suppressed exceptions are rebuilt the same
     * way. Never throws, unless [standIn] does.
     */
    public fun rebuild(
        loader: ClassLoader?,
        standIn: (className: String, message: String?, cause: Throwable?) -> Throwable,
    ): Throwable = RemoteFailures.rebuildThrown(failure, loader, standIn)

    override fun toString(): String = if (message == null) className else "$className: $message"

    public companion object {
        /** Captures [throwable] (see the class description for what is kept); never throws. */
        public fun capture(throwable: Throwable): WireThrowable = WireThrowable(RemoteFailures.capture(throwable))

        /**
         * Reads what [toBytes] wrote.
         *
         * @throws IllegalArgumentException if [bytes] are not an encoded throwable.
         */
        public fun fromBytes(bytes: ByteArray): WireThrowable =
            try {
                WireThrowable(ProtocolCbor.decodeFromByteArray(RemoteFailure.serializer(), bytes))
            } catch (e: Exception) {
                throw IllegalArgumentException("not an encoded throwable: $e", e)
            }
    }
}
