package io.asynccpu.logging

/**
 * Collects the settings of log forwarding; the receiver of `forwardLogs { ... }`.
 *
 * ```
 * ProcessPool {
 *     forwardLogs {
 *         level = LogLevel.INFO                   // worker threshold for every logger
 *         levels["com.example.solver"] = LogLevel.DEBUG
 *         configurer = MyWorkerSetup()            // @Serializable, runs once per worker
 *     }
 * }
 * ```
 *
 * Invalid values are refused with an [IllegalArgumentException] when `forwardLogs` returns.
 */
@io.asynccpu.AsyncCpuDsl
public class LogForwardingBuilder internal constructor() {
    /**
     * The workers' threshold for loggers without their own entry in [levels]: calls below it are dropped in the worker
     * before any encoding. Default [LogLevel.INFO].
     */
    public var level: LogLevel = LogLevel.INFO

    /**
     * Per-logger thresholds in the workers, by logger name; an entry covers the logger and its descendants
     * (`"com.example"` covers `"com.example.Foo"`), the longest matching name wins.
     */
    public val levels: MutableMap<String, LogLevel> = mutableMapOf()

    /** Receives every record in the caller's process. Default [Slf4jLogRecordListener]. */
    public var listener: LogRecordListener = Slf4jLogRecordListener

    /** Runs once in each worker before its first task (see [WorkerConfigurer]). Default none. */
    public var configurer: WorkerConfigurer? = null

    /**
     * Forward `java.util.logging` records too: the worker's JUL root logger gets a forwarding handler instead of its
     * console handler. Default true.
     */
    public var forwardJavaUtilLogging: Boolean = true

    /**
     * Turn the lines workers write to stdout and stderr into records of the loggers [LogRecord.STDOUT_LOGGER] and
     * [LogRecord.STDERR_LOGGER]. This replaces the pool's `workerOutput` listener, so each line is handled once; set it
     * to false to keep `workerOutput`. (A `workerOutput` assigned after `forwardLogs` in the pool builder replaces the
     * forwarding instead.) Default true.
     */
    public var forwardOutput: Boolean = true

    /**
     * How many records [LogForwarding.records] buffers for each slow collector before it drops the oldest ones (the
     * flow never slows the workers down). Default 10,000; must be at least 1.
     */
    public var flowBufferCapacity: Int = 10_000

    internal fun build(): LogForwardingConfig {
        require(flowBufferCapacity >= 1) { "flowBufferCapacity must be at least 1, was $flowBufferCapacity" }
        require(levels.keys.none { it.isBlank() }) {
            "a logger name in levels must not be blank; use level for the root"
        }
        return LogForwardingConfig(this)
    }
}
