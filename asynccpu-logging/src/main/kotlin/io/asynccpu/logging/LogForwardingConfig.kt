package io.asynccpu.logging

/**
 * The immutable settings log forwarding was installed with, produced by [LogForwardingBuilder] (which documents each
 * setting and its default). The levels in force on a live pool are those of [LogForwarding.level] and
 * [LogForwarding.levels], which start as [level] and [levels].
 *
 * Not a data class, so that settings can be added without breaking binary compatibility.
 */
public class LogForwardingConfig internal constructor(builder: LogForwardingBuilder) {
    /** The initial worker threshold for loggers without their own level. */
    public val level: LogLevel = builder.level

    /** The initial per-logger worker thresholds. */
    public val levels: Map<String, LogLevel> = builder.levels.toMap()

    /** Receives every record in the caller's process. */
    public val listener: LogRecordListener = builder.listener

    /** Runs once in each worker before its first task, or null. */
    public val configurer: WorkerConfigurer? = builder.configurer

    /** Whether `java.util.logging` records are forwarded. */
    public val forwardJavaUtilLogging: Boolean = builder.forwardJavaUtilLogging

    /** Whether stray stdout and stderr lines become records. */
    public val forwardOutput: Boolean = builder.forwardOutput

    /** Per-collector buffer of [LogForwarding.records]. */
    public val flowBufferCapacity: Int = builder.flowBufferCapacity

    override fun toString(): String =
        "LogForwardingConfig(level=$level, levels=$levels, listener=$listener, configurer=$configurer, " +
            "forwardJavaUtilLogging=$forwardJavaUtilLogging, forwardOutput=$forwardOutput, " +
            "flowBufferCapacity=$flowBufferCapacity)"
}
