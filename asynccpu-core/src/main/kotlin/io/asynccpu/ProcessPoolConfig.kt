package io.asynccpu

import io.asynccpu.internal.future.JavaDurations
import io.asynccpu.spi.PoolExtension
import kotlin.time.Duration

/**
 * The immutable configuration of a [ProcessPool], produced by the `ProcessPool { ... }` builder ([ProcessPoolBuilder]
 * documents each setting and its default).
 *
 * Not a data class, so that settings can be added without breaking binary compatibility.
 */
public class ProcessPoolConfig internal constructor(builder: ProcessPoolBuilder) {
    /** Name used in thread names, log lines and error messages. */
    public val name: String = builder.name

    /** The most worker processes alive at once. */
    public val maxWorkers: Int = builder.maxWorkers

    /** How many tasks one worker runs at the same time on its own dispatcher. */
    public val tasksPerWorker: Int = builder.tasksPerWorker

    /** Whether all [maxWorkers] workers start when the pool is created instead of on demand. */
    public val startEagerly: Boolean = builder.startEagerly

    /** The fewest workers the pool keeps alive. */
    public val minWorkers: Int = builder.minWorkers

    /**
     * How long a worker may stay idle (after it started) before it is retired, down to [minWorkers]; infinite: never.
     */
    public val idleTimeout: Duration = builder.idleTimeout

    /** After how many tasks a worker is retired and replaced; 0: never. */
    public val maxTasksPerWorker: Int = builder.maxTasksPerWorker

    /** The task run once in each worker before its first task, or null. */
    public val initializer: ProcessTask<*>? = builder.initializer

    /** The task run in a worker when it retires gracefully, or null. */
    public val finalizer: ProcessTask<*>? = builder.finalizer

    /** How many workers in a row may fail to start before the pool is broken. */
    public val maxStartAttempts: Int = builder.maxStartAttempts

    /** [idleTimeout] in whole milliseconds (`Long.MAX_VALUE` when infinite), for Java callers. */
    public val idleTimeoutMillis: Long
        get() = if (idleTimeout.isInfinite()) Long.MAX_VALUE else idleTimeout.inWholeMilliseconds

    /** Extra options for each worker JVM, placed before the main class. */
    public val jvmArgs: List<String> = builder.jvmArgs.toList()

    /** The Java home whose `bin/java` starts workers; null means the caller's `java.home`. */
    public val javaHome: String? = builder.javaHome

    /** The workers' class path; null means worked out from how the caller runs ([ProcessPoolBuilder.classpath]). */
    public val classpath: String? = builder.classpath

    /** The main class a worker JVM starts; null means the default ([ProcessPoolBuilder.workerMainClass]). */
    public val workerMainClass: String? = builder.workerMainClass

    /** Extra environment variables for worker processes. */
    public val environment: Map<String, String> = builder.environment.toMap()

    /** How long a cancelled task may keep running before its worker is killed and replaced. */
    public val cancelGracePeriod: Duration = builder.cancelGracePeriod

    /** The largest encoded task or result, in bytes. */
    public val maxFrameSize: Int = builder.maxFrameSize

    /** Whether `close()` cancels queued and running tasks instead of waiting for them. */
    public val cancelPendingOnClose: Boolean = builder.cancelPendingOnClose

    /** How long `close()` waits for a worker to exit after asking it to, before killing it. */
    public val shutdownTimeout: Duration = builder.shutdownTimeout

    /** [cancelGracePeriod] in whole milliseconds, for Java callers (who cannot call the `Duration` getter). */
    public val cancelGracePeriodMillis: Long
        get() = cancelGracePeriod.inWholeMilliseconds

    /** [shutdownTimeout] in whole milliseconds, for Java callers (who cannot call the `Duration` getter). */
    public val shutdownTimeoutMillis: Long
        get() = shutdownTimeout.inWholeMilliseconds

    /**
     * [idleTimeout] as a `java.time.Duration` (the largest `java.time.Duration` when infinite); Java calls it
     * `getIdleTimeout()`.
     */
    @get:JvmName("getIdleTimeout")
    public val javaIdleTimeout: java.time.Duration
        get() = JavaDurations.of(idleTimeout)

    /** [cancelGracePeriod] as a `java.time.Duration`; Java calls it `getCancelGracePeriod()`. */
    @get:JvmName("getCancelGracePeriod")
    public val javaCancelGracePeriod: java.time.Duration
        get() = JavaDurations.of(cancelGracePeriod)

    /** [shutdownTimeout] as a `java.time.Duration`; Java calls it `getShutdownTimeout()`. */
    @get:JvmName("getShutdownTimeout")
    public val javaShutdownTimeout: java.time.Duration
        get() = JavaDurations.of(shutdownTimeout)

    /** Receives the lines workers write to stdout and stderr. */
    public val workerOutput: WorkerOutputListener = builder.workerOutput

    /** Add-ons (such as log forwarding) installed on this pool, in installation order. */
    @InternalAsyncCpuApi public val extensions: List<PoolExtension> = builder.extensions.toList()

    override fun toString(): String =
        "ProcessPoolConfig(name=$name, maxWorkers=$maxWorkers, tasksPerWorker=$tasksPerWorker, " +
            "startEagerly=$startEagerly, minWorkers=$minWorkers, idleTimeout=$idleTimeout, " +
            "maxTasksPerWorker=$maxTasksPerWorker, initializer=${initializer?.javaClass?.name}, " +
            "finalizer=${finalizer?.javaClass?.name}, maxStartAttempts=$maxStartAttempts, jvmArgs=$jvmArgs, javaHome=$javaHome, " +
            "classpath=$classpath, workerMainClass=$workerMainClass, " +
            "cancelGracePeriod=$cancelGracePeriod, maxFrameSize=$maxFrameSize, " +
            "cancelPendingOnClose=$cancelPendingOnClose, shutdownTimeout=$shutdownTimeout, " +
            "extensions=${extensions.map { it.name }})"
}
