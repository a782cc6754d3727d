@file:JvmName("LogForwardingPools")

package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.logging.internal.RealLogForwarding
import java.util.WeakHashMap
import java.util.function.Consumer

private val installed = WeakHashMap<ProcessPoolBuilder, LogForwarding>()

/**
 * Forwards the logs of this pool's workers to the caller's process: every SLF4J call and (by default) every
 * `java.util.logging` record and stray stdout/stderr line in a worker becomes a [LogRecord], handed to
 * [LogForwardingBuilder.listener] (default: re-emitted into the caller's SLF4J) and to [LogForwarding.records].
 *
 * ```
 * ProcessPool {
 *     maxWorkers = 3
 *     forwardLogs { level = LogLevel.DEBUG }
 * }
 * ```
 *
 * Workers get their own SLF4J provider through `-Dslf4j.provider` on their command line, so the caller's binding is
 * untouched and the worker reports no competing providers; `slf4j-api` 2.0.9 or newer must be on the class path. A call
 * below the worker's threshold costs a level check and nothing else.
 *
 * **Delivery.** Each record is sent when it is made, ahead of anything the worker sends later, so a task's records
 * arrive before its result; a worker reused for many tasks sends each record exactly once. Records made before a task
 * fails, is cancelled, calls `System.exit` or runs out of memory still arrive, since the worker flushes its channel on
 * every exit path it survives; only a worker killed outright (SIGKILL, `Runtime.halt`) can lose the records it had not
 * written yet.
 *
 * @return the installed forwarding, also reachable later as [ProcessPool.logForwarding].
 * @throws IllegalArgumentException if a setting is invalid, or the [LogForwardingBuilder.configurer] is not
 *   `@Serializable`.
 * @throws IllegalStateException if logs are already forwarded on this builder.
 */
@JvmSynthetic // Java: forwardLogsTo
public fun ProcessPoolBuilder.forwardLogs(configure: LogForwardingBuilder.() -> Unit = {}): LogForwarding {
    val config = LogForwardingBuilder().apply(configure).build()
    // Initialise the caller's SLF4J binding now, on this thread. Otherwise the first forwarded records
    // would initialise it from reader threads, and SLF4J would replay them later without their MDC.
    org.slf4j.LoggerFactory.getILoggerFactory()
    synchronized(installed) {
        check(this !in installed) { "forwardLogs was already called on this pool builder" }
        val forwarding = RealLogForwarding(config)
        install(forwarding)
        installed[this] = forwarding
        return forwarding
    }
}

/**
 * Log forwarding for Java: a setting for `ProcessPool.builder().configure(...)` that forwards the workers' logs at
 * [level] and above to [listener] (see [forwardLogs] for what is forwarded and the delivery guarantees;
 * [LogRecordListener] for threads and order).
 *
 * ```java
 * ProcessPool pool = ProcessPool.builder()
 *     .maxWorkers(3)
 *     .configure(LogForwardingPools.forwardLogsTo(LogLevel.DEBUG, record -> log.add(record)))
 *     .build();
 * ```
 *
 * @throws IllegalStateException (from `configure`) if logs are already forwarded on that builder.
 */
public fun forwardLogsTo(level: LogLevel, listener: LogRecordListener): Consumer<ProcessPoolBuilder> =
    Consumer { builder ->
        builder.forwardLogs {
            this.level = level
            this.listener = listener
        }
    }

/** [forwardLogsTo] at [LogLevel.INFO] and above. */
public fun forwardLogsTo(listener: LogRecordListener): Consumer<ProcessPoolBuilder> =
    forwardLogsTo(LogLevel.INFO, listener)

/**
 * The log forwarding installed on this pool with [forwardLogs].
 *
 * @throws IllegalStateException if the pool was built without `forwardLogs`.
 */
public val ProcessPool.logForwarding: LogForwarding
    get() =
        config.extensions.filterIsInstance<RealLogForwarding>().firstOrNull()
            ?: throw IllegalStateException(
                "ProcessPool '${config.name}' does not forward logs: add forwardLogs { } to its builder"
            )
