package io.asynccpu.spi

/**
 * Wraps every request a worker runs, registered by a [WorkerPlugin] with [WorkerContext.interceptTasks]: the place to
 * put the caller's context (an MDC, a trace span) around the task. Interceptors nest in registration order, the first
 * registered outermost.
 *
 * ```
 * context.interceptTasks { task, proceed ->
 *     val span = startSpan(task.description, parent = task.context["traceparent"])
 *     try { proceed() } finally { span.end() }
 * }
 * ```
 *
 * [intercept] runs in the task's coroutine, so a `withContext(element)` around `proceed()` follows the task across
 * suspensions and threads. It must call `proceed` once and return (or rethrow) what it returns (or throws): that is the
 * task's answer. An exception thrown by the interceptor itself fails the task as if the task had thrown it. When the
 * parent cancels the task, `proceed` throws a `CancellationException`, which the interceptor must let through. A worker
 * crash ends the process: no interceptor code runs after it.
 */
public fun interface TaskInterceptor {
    /** Runs [proceed] (the task, or the next interceptor) for [task] and returns its result. */
    public suspend fun intercept(task: InterceptedTask, proceed: suspend () -> Any?): Any?
}
