package io.asynccpu.logging.internal

import io.asynccpu.logging.LogThrowable
import java.lang.reflect.Modifier

/**
 * Rebuilds a [LogThrowable] as a [Throwable] in the caller's process (see [LogThrowable.toThrowable]).
 *
 * The original class is used when it is on the caller's class path, is a concrete [Throwable]
 * (checked before the class is initialised) and has a `(String, Throwable)`, `(String)` or `()`
 * constructor that keeps the message; otherwise a [ForwardedException] stands in. Never throws.
 */
internal object ThrowableRebuilder {
    fun rebuild(source: LogThrowable, loader: ClassLoader?): Throwable {
        val cause = source.cause?.let { rebuild(it, loader) }
        val t = instantiate(source, cause, loader) ?: ForwardedException(source.className, source.message)
        if (cause != null && t.cause == null) runCatching { t.initCause(cause) }
        t.stackTrace = source.frames.map { StackTraceElement(it.className, it.methodName, it.fileName, it.lineNumber) }
            .toTypedArray()
        source.suppressed.forEach { t.addSuppressed(rebuild(it, loader)) }
        return t
    }

    private fun instantiate(source: LogThrowable, cause: Throwable?, loader: ClassLoader?): Throwable? = try {
        val cls = Class.forName(source.className, false, loader)
        if (!Throwable::class.java.isAssignableFrom(cls) || Modifier.isAbstract(cls.modifiers)) {
            null
        } else {
            val message = source.message
            val constructors = cls.constructors
            val withCause = constructors.firstOrNull {
                it.parameterTypes.contentEquals(arrayOf(String::class.java, Throwable::class.java))
            }
            val withMessage = constructors.firstOrNull { it.parameterTypes.contentEquals(arrayOf(String::class.java)) }
            val noArgs = constructors.firstOrNull { it.parameterCount == 0 }
            val built = when {
                withCause != null && cause != null -> withCause.newInstance(message, cause)
                withMessage != null -> withMessage.newInstance(message)
                withCause != null -> withCause.newInstance(message, null)
                noArgs != null && message == null -> noArgs.newInstance()
                else -> null
            } as Throwable?
            built?.takeIf { it.message == message }
        }
    } catch (e: Exception) {
        null
    } catch (e: LinkageError) {
        null
    }
}

/**
 * Stands in for a worker exception whose class cannot be rebuilt in the caller: its message starts
 * with the original class name, so logging frameworks print `ForwardedException: com.example.Err: boom`.
 */
internal class ForwardedException(val remoteClassName: String, remoteMessage: String?) :
    RuntimeException(if (remoteMessage == null) remoteClassName else "$remoteClassName: $remoteMessage")
