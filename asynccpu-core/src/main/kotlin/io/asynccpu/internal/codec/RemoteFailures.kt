package io.asynccpu.internal.codec

import io.asynccpu.FrameTooLargeException
import io.asynccpu.RemoteTaskException
import io.asynccpu.TaskEncodingException
import io.asynccpu.TaskLoadingException
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RemoteFrame
import java.util.IdentityHashMap

/**
 * The one wire form of a throwable, [RemoteFailure], shared by task failures (FAILURE frames, encoded raw-task
 * failures) and, through [io.asynccpu.spi.WireThrowable], by other modules (the throwables of forwarded log records):
 * capture in the worker, rebuild in the caller.
 *
 * Capture keeps the class name, message, stack frames (at most [MAX_FRAMES]), the cause chain and suppressed exceptions
 * (at most [MAX_DEPTH] levels, cycles cut); a throwable whose `getMessage()` throws is recorded with that failure as
 * its message. Rebuilding prefers the original class, when it exists on the caller's class path, is a concrete
 * [Throwable] (checked before the class is initialised) and has a `(String, Throwable)`, `(String)` or `()` constructor
 * that keeps the message; otherwise a stand-in takes its place ([RemoteTaskException] for tasks). Stack frames, the
 * cause chain and suppressed exceptions are carried either way. Rebuilding never throws for a well-formed failure.
 */
internal object RemoteFailures {
    private const val MAX_DEPTH = 16
    private const val MAX_FRAMES = 512

    fun capture(t: Throwable, kind: Int = RemoteFailure.KIND_TASK): RemoteFailure =
        capture(t, kind, IdentityHashMap(), 0)

    private fun capture(t: Throwable, kind: Int, seen: IdentityHashMap<Throwable, Unit>, depth: Int): RemoteFailure {
        seen[t] = Unit
        val cause = t.cause?.takeIf { it !in seen && depth < MAX_DEPTH }
        val message =
            try {
                t.message
            } catch (e: Exception) {
                "<getMessage() threw $e>"
            }
        return RemoteFailure(
            className = t.javaClass.name,
            message = message,
            frames =
                t.stackTrace.take(MAX_FRAMES).map {
                    RemoteFrame(it.className, it.methodName, it.fileName, it.lineNumber)
                },
            cause = cause?.let { capture(it, RemoteFailure.KIND_TASK, seen, depth + 1) },
            suppressed =
                t.suppressed
                    .filter { it !in seen && depth < MAX_DEPTH }
                    .map { capture(it, RemoteFailure.KIND_TASK, seen, depth + 1) },
            kind = kind,
        )
    }

    /** The exception the caller sees for [failure] of the call described by [description]. */
    fun rebuild(failure: RemoteFailure, description: String, maxFrameSize: Int, loader: ClassLoader?): Throwable {
        val cause = failure.cause?.let { rebuildThrown(it, loader, ::RemoteTaskException) }
        return when (failure.kind) {
            RemoteFailure.KIND_TASK -> rebuildThrown(failure, loader, ::RemoteTaskException)
            RemoteFailure.KIND_LOADING ->
                TaskLoadingException("The worker cannot load $description: ${failure.message}", cause)
            RemoteFailure.KIND_TASK_DECODING ->
                TaskEncodingException("The worker could not decode $description: ${failure.message}", cause)
            RemoteFailure.KIND_RESULT_ENCODING ->
                TaskEncodingException(
                    "The result of $description could not be encoded in the worker: ${failure.message}. " +
                        "Return a value of the declared, serializable result type.",
                    cause,
                )
            RemoteFailure.KIND_TOO_LARGE ->
                FrameTooLargeException(
                    "The result of $description is ${failure.message} bytes encoded, above maxFrameSize " +
                        "($maxFrameSize bytes): raise maxFrameSize or return a smaller result.",
                    failure.message?.toLongOrNull() ?: -1,
                    maxFrameSize,
                )
            else -> RemoteTaskException(failure.className, failure.message, cause)
        }
    }

    /**
     * [failure] as a throwable of its original class when [loader] can make one, else as the [standIn] for its class
     * name, message and cause; its cause chain and suppressed exceptions alike.
     */
    fun rebuildThrown(
        failure: RemoteFailure,
        loader: ClassLoader?,
        standIn: (className: String, message: String?, cause: Throwable?) -> Throwable,
    ): Throwable {
        val cause = failure.cause?.let { rebuildThrown(it, loader, standIn) }
        val t = instantiate(failure, cause, loader) ?: standIn(failure.className, failure.message, cause)
        if (cause != null && t.cause == null) runCatching { t.initCause(cause) }
        t.stackTrace =
            failure.frames.map { StackTraceElement(it.className, it.method, it.file, it.line) }.toTypedArray()
        failure.suppressed.forEach { t.addSuppressed(rebuildThrown(it, loader, standIn)) }
        return t
    }

    private fun instantiate(failure: RemoteFailure, cause: Throwable?, loader: ClassLoader?): Throwable? {
        val cls =
            try {
                Class.forName(failure.className, false, loader)
            } catch (e: ClassNotFoundException) {
                return null
            } catch (e: LinkageError) {
                return null
            }
        if (!Throwable::class.java.isAssignableFrom(cls) || java.lang.reflect.Modifier.isAbstract(cls.modifiers)) {
            return null
        }
        val message = failure.message
        return try {
            val withCause =
                cls.constructors.firstOrNull {
                    it.parameterTypes.contentEquals(arrayOf(String::class.java, Throwable::class.java))
                }
            val withMessage =
                cls.constructors.firstOrNull { it.parameterTypes.contentEquals(arrayOf(String::class.java)) }
            val noArgs = cls.constructors.firstOrNull { it.parameterCount == 0 }
            val built =
                when {
                    withCause != null && cause != null -> withCause.newInstance(message, cause)
                    withMessage != null -> withMessage.newInstance(message)
                    withCause != null -> withCause.newInstance(message, null)
                    noArgs != null && message == null -> noArgs.newInstance()
                    else -> null
                }
                    as Throwable?
            built?.takeIf { it.message == message }
        } catch (e: Exception) {
            null
        } catch (e: LinkageError) {
            null
        }
    }
}
