package io.asynccpu

/**
 * The worker could not load or accept the task's class or function: the class is not on the worker's classpath (for
 * example it was defined in a custom class loader of the caller), it does not implement a task interface, or the
 * function no longer exists; or the worker refused the function because it belongs to the Java/Kotlin platform or to
 * this library (workers only call the application's own functions: wrap such a call in a function of your own package).
 *
 * The worker stays healthy; only this task fails. Put the class on the application classpath (the worker runs with the
 * caller's `java.class.path`) or set `classpath` in the pool configuration.
 */
public class TaskLoadingException internal constructor(message: String, cause: Throwable? = null) :
    ProcessPoolException(message, cause)
