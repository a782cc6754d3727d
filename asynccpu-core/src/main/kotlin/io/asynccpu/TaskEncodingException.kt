package io.asynccpu

/**
 * A task, a function argument or a result cannot be encoded or decoded with kotlinx-serialization.
 *
 * Raised by `submit` itself when the caller's side is at fault (a task class that is not `@Serializable`, a property
 * whose value fails to encode, a result type without a serializer), and delivered through the task's `Deferred` when
 * the worker cannot encode the result. The message names the class and says what to change. Other tasks are not
 * affected.
 */
public open class TaskEncodingException internal constructor(message: String, cause: Throwable? = null) :
    ProcessPoolException(message, cause)
