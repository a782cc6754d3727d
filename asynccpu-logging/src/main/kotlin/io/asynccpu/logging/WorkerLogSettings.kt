package io.asynccpu.logging

/**
 * The log settings of one worker process, handed to a [WorkerConfigurer] in that worker.
 *
 * Changes apply to this worker only and take effect for the next log call on any thread. A later
 * [LogForwarding.setLevel] on the pool replaces the levels of every worker, including those set here.
 */
public interface WorkerLogSettings {
    /** The pool-local id of this worker. */
    public val workerId: Int

    /** This worker's threshold for loggers without their own level. */
    public val level: LogLevel

    /** Sets this worker's threshold for loggers without their own level. */
    public fun setLevel(level: LogLevel)

    /**
     * Sets the threshold of the logger named [loggerName] and its descendants (`"com.example"` covers
     * `"com.example.Foo"`), or removes it with null.
     */
    public fun setLevel(loggerName: String, level: LogLevel?)
}
