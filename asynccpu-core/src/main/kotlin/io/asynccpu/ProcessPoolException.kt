package io.asynccpu

/**
 * Base class of every exception the pool itself raises. Exceptions thrown by a task's own code are not wrapped in it:
 * they reach the caller as their own type or as [RemoteTaskException].
 */
public open class ProcessPoolException(message: String, cause: Throwable? = null) : RuntimeException(message, cause)
