package io.asynccpu.logging

/**
 * Code that runs once in every worker process, before the worker's first task: the role of the
 * `initializer`/`configurer` of Python's process pools. Set worker log levels, system properties, `java.util.logging`
 * configuration, or anything else a worker needs.
 *
 * Implement it with a `@Serializable` class (or `@Serializable object`); its properties travel to each worker. Install
 * it with [LogForwardingBuilder.configurer].
 *
 * ```
 * @Serializable
 * class VerboseFor(val loggerName: String) : WorkerConfigurer {
 *     override fun configure(worker: WorkerLogSettings) {
 *         worker.setLevel(loggerName, LogLevel.DEBUG)
 *     }
 * }
 * ```
 *
 * **Exactly once.** [configure] runs once per worker process, when the worker starts, before it reads its first task; a
 * worker that is reused for many tasks never runs it again, and a replacement worker (after a crash) runs it once more.
 * Records it logs have a null [LogRecord.taskId].
 *
 * **Bad input.** A class that is not `@Serializable` is refused when the pool is built, with an
 * [IllegalArgumentException]. Only classes implementing this interface are ever instantiated from the bytes a worker
 * receives.
 *
 * **Failure.** An exception thrown by [configure] is forwarded as an [LogLevel.ERROR] record of the logger
 * `io.asynccpu.logging.WorkerConfigurer` carrying the exception; the worker then serves tasks as usual. Calling
 * `System.exit` here ends the worker, which the pool reports as a start failure.
 */
public interface WorkerConfigurer {
    /** Configures the worker described by [worker]; runs in the worker process, once. */
    public fun configure(worker: WorkerLogSettings)
}
