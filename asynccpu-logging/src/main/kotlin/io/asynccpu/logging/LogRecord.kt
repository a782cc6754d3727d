package io.asynccpu.logging

/**
 * One log event from a worker process, as the parent receives it: an SLF4J call, a `java.util.logging` record, or a
 * line a worker wrote to its stdout or stderr.
 *
 * Records from SLF4J and `java.util.logging` are built in the worker when the call is made (after its level passed the
 * worker's threshold), so [epochMillis], [threadName], [mdc] and [taskId] describe the worker at that moment. Lines
 * from stdout and stderr are built in the parent when the line arrives: their logger is [STDOUT_LOGGER] or
 * [STDERR_LOGGER], their level [LogLevel.INFO] or [LogLevel.WARN], their thread the stream's name, and their [taskId]
 * null (a line cannot be attributed to a task).
 *
 * @property epochMillis when the event happened, in milliseconds since the epoch (the worker's clock).
 * @property level the severity; never [LogLevel.OFF].
 * @property loggerName the name of the logger that emitted the record, as in the worker.
 * @property message the message with its `{}` placeholders (or `java.util.logging` `{0}` parameters) already filled in.
 * @property threadName the name of the worker thread that logged.
 * @property mdc a copy of the worker thread's SLF4J MDC when the record was made.
 * @property keyValues the key-value pairs of an SLF4J 2 fluent call (`atInfo().addKeyValue(k, v)`), in call order, with
 *   each value turned into a string (`null` stays null).
 * @property markers the names of the SLF4J markers attached to the call.
 * @property throwable the exception attached to the call, or null.
 * @property workerId the pool-local id of the worker that sent the record.
 * @property workerPid the operating-system process id of that worker.
 * @property taskId the pool's request id of the task that was running on the logging thread, or null when the record
 *   was made outside a task (by a [WorkerConfigurer], a background thread, or an output stream).
 */
public class LogRecord
internal constructor(
    public val epochMillis: Long,
    public val level: LogLevel,
    public val loggerName: String,
    public val message: String,
    public val threadName: String,
    public val mdc: Map<String, String>,
    public val keyValues: List<Pair<String, String?>>,
    public val markers: List<String>,
    public val throwable: LogThrowable?,
    public val workerId: Int,
    public val workerPid: Long,
    public val taskId: Long?,
) {
    /** When the record was made in the worker ([epochMillis] as an `Instant`). */
    public val timestamp: java.time.Instant
        get() = java.time.Instant.ofEpochMilli(epochMillis)

    /** [keyValues] as an insertion-ordered map (a later duplicate key wins), for Java callers. */
    public val keyValueMap: Map<String, String?>
        get() = LinkedHashMap<String, String?>().apply { keyValues.forEach { put(it.first, it.second) } }

    override fun toString(): String =
        "LogRecord($level $loggerName [worker $workerId pid $workerPid task $taskId thread $threadName] $message" +
            (if (throwable != null) " ! $throwable" else "") +
            ")"

    /** Names of the loggers that carry a worker's stray standard output and error lines. */
    public companion object {
        /** The logger of lines a worker wrote to its standard output. */
        public const val STDOUT_LOGGER: String = "worker.stdout"

        /** The logger of lines a worker wrote to its standard error (JVM warnings included). */
        public const val STDERR_LOGGER: String = "worker.stderr"
    }
}
