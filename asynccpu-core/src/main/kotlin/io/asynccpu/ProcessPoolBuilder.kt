package io.asynccpu

import io.asynccpu.spi.PoolExtension
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Collects the settings of a [ProcessPool]; used as the receiver of `ProcessPool { ... }`.
 *
 * ```
 * ProcessPool {
 *     maxWorkers = 3
 *     jvmArgs += "-Xmx512m"
 *     cancelGracePeriod = 5.seconds
 * }
 * ```
 *
 * Invalid values (a non-positive worker count, a negative duration) are refused with an [IllegalArgumentException] when
 * the pool is built.
 */
@AsyncCpuDsl
public class ProcessPoolBuilder internal constructor() {
    /** Name used in thread names, log lines and error messages. Default `"asynccpu"`. */
    public var name: String = "asynccpu"

    /** The most worker processes alive at once. Default: the number of available processors. */
    public var maxWorkers: Int = Runtime.getRuntime().availableProcessors()

    /**
     * How many tasks one worker runs at the same time. Default 1, right for CPU-bound work; raise it for suspending
     * tasks that mix CPU and I/O.
     */
    public var tasksPerWorker: Int = 1

    /** Start all [maxWorkers] workers when the pool is built instead of on first demand. Default false. */
    public var startEagerly: Boolean = false

    /**
     * The fewest workers the pool keeps: they start when the pool is built, idle ones are never retired, and a crashed
     * one is replaced at once. Default 0. At most [maxWorkers].
     */
    public var minWorkers: Int = 0

    /**
     * How long a worker may stay idle before it is retired gracefully (its finalizer runs), down to [minWorkers]: the
     * pool shrinks when work is sporadic and grows again on demand. The idle time is counted from the worker's
     * [PoolEvent.WorkerStarted] (never during its JVM start) or its last answer. Default [Duration.INFINITE]: workers
     * are never retired for idleness. Must be positive.
     */
    public var idleTimeout: Duration = Duration.INFINITE

    /**
     * Retire a worker gracefully after it answered this many tasks, and start a fresh one when there is work (to
     * contain leaks in native or third-party code). Default 0: no limit.
     */
    public var maxTasksPerWorker: Int = 0

    /**
     * A task run once in each worker before its first task, e.g. to load a model or set [WorkerState]; its fields are
     * its arguments. Nothing else runs on a worker until it succeeds. If it throws (or its worker dies), the worker is
     * discarded; after [maxStartAttempts] workers in a row failed so, the pool is broken: queued and later submissions
     * fail with [BrokenPoolException] whose cause is the initializer's exception, until [ProcessPool.restore]. Default
     * null.
     */
    public var initializer: ProcessTask<*>? = null

    /**
     * A task run in a worker when it retires gracefully (idle, recycled, or the pool closing), after its last task. Its
     * failure is reported on `System.err` and does not stop the retirement; it does not run when a worker crashes or is
     * killed. Default null.
     */
    public var finalizer: ProcessTask<*>? = null

    /**
     * How many workers in a row may fail to start (the JVM does not come up, or the initializer fails) before the pool
     * is broken instead of starting more. Default 3.
     */
    public var maxStartAttempts: Int = 3

    /**
     * Extra options for each worker JVM (`jvmArgs += "-Xmx256m"`). Without an `-Xmx` here, each worker's heap is capped
     * so that all workers together use at most half of the machine's memory.
     */
    public val jvmArgs: MutableList<String> = mutableListOf()

    /** The Java home whose `bin/java` starts workers. Default null: the caller's `java.home`. */
    public var javaHome: String? = null

    /**
     * The workers' class path, entries joined with `File.pathSeparator`. Default null: worked out from how the caller
     * runs — its class path (a shaded jar included), its module path (every entry goes on the workers' class path), or
     * a Spring Boot executable jar (workers start from the same jar through Spring Boot's `PropertiesLauncher`). Set it
     * where none of these apply (a jlink image, a container whose application starts through its own launcher): it must
     * hold asynccpu-core, its dependencies and the task classes. Where the pool cannot work it out, creating the pool
     * fails with [WorkerLaunchException].
     */
    public var classpath: String? = null

    /**
     * The main class a worker JVM starts. Default null: [WORKER_MAIN_CLASS], or Spring Boot's `PropertiesLauncher` for
     * an executable jar. Set it when workers must start through a launcher of yours; that launcher must call
     * [WORKER_MAIN_CLASS]'s `main` with the arguments it was given.
     */
    public var workerMainClass: String? = null

    /** Extra environment variables for worker processes. */
    public val environment: MutableMap<String, String> = mutableMapOf()

    /** How long a cancelled task may keep running before its worker is killed and replaced. Default 2 seconds. */
    public var cancelGracePeriod: Duration = 2.seconds

    /**
     * The largest encoded task or result in bytes; larger ones fail with [FrameTooLargeException], and nothing on the
     * wire can make either side allocate more. Default 1 GiB.
     */
    public var maxFrameSize: Int = 1 shl 30

    /**
     * When true, `close()` cancels queued and running tasks (their `Deferred`s are cancelled and the workers are told
     * to stop them) instead of waiting for them. Default false.
     */
    public var cancelPendingOnClose: Boolean = false

    /** How long `close()` waits for each worker to exit before killing it. Default 5 seconds. */
    public var shutdownTimeout: Duration = 5.seconds

    /**
     * Receives each line the workers write to stdout or stderr. Default: print it to the caller's `System.err`,
     * prefixed with the worker id and pid.
     */
    public var workerOutput: WorkerOutputListener = WorkerOutputListener { worker, stream, line ->
        System.err.println("[$name ${worker.id} pid=${worker.pid} ${stream.name.lowercase()}] $line")
    }

    internal val extensions: MutableList<PoolExtension> = mutableListOf()

    /**
     * Installs an add-on such as log forwarding. Installing the same extension twice has no effect. Add-ons provide
     * their own entry points (`forwardLogs { }`); this is for asynccpu's own modules.
     */
    @InternalAsyncCpuApi
    public fun install(extension: PoolExtension) {
        if (extensions.none { it.name == extension.name }) {
            extensions += extension
            extension.configure(this)
        }
    }

    /** Copies every setting of [config] (extensions without configuring them again). */
    internal fun copyFrom(config: ProcessPoolConfig): ProcessPoolBuilder = apply {
        name = config.name
        maxWorkers = config.maxWorkers
        minWorkers = config.minWorkers
        tasksPerWorker = config.tasksPerWorker
        startEagerly = config.startEagerly
        idleTimeout = config.idleTimeout
        maxTasksPerWorker = config.maxTasksPerWorker
        initializer = config.initializer
        finalizer = config.finalizer
        maxStartAttempts = config.maxStartAttempts
        jvmArgs += config.jvmArgs
        javaHome = config.javaHome
        classpath = config.classpath
        workerMainClass = config.workerMainClass
        environment += config.environment
        cancelGracePeriod = config.cancelGracePeriod
        maxFrameSize = config.maxFrameSize
        cancelPendingOnClose = config.cancelPendingOnClose
        shutdownTimeout = config.shutdownTimeout
        workerOutput = config.workerOutput
        extensions += config.extensions
    }

    /** Constants for configuring how workers start. */
    public companion object {
        /** The worker JVM's own main class; a custom [workerMainClass] hands over to it. */
        public const val WORKER_MAIN_CLASS: String = "io.asynccpu.internal.worker.WorkerMain"
    }

    internal fun build(): ProcessPoolConfig {
        require(maxWorkers >= 1) { "maxWorkers must be at least 1, was $maxWorkers" }
        require(tasksPerWorker >= 1) { "tasksPerWorker must be at least 1, was $tasksPerWorker" }
        require(!cancelGracePeriod.isNegative()) { "cancelGracePeriod must not be negative" }
        require(!shutdownTimeout.isNegative()) { "shutdownTimeout must not be negative" }
        require(maxFrameSize >= 1024) { "maxFrameSize must be at least 1024 bytes, was $maxFrameSize" }
        require(minWorkers in 0..maxWorkers) {
            "minWorkers must be between 0 and maxWorkers ($maxWorkers), was $minWorkers"
        }
        require(idleTimeout.isPositive()) { "idleTimeout must be positive, was $idleTimeout" }
        require(maxTasksPerWorker >= 0) { "maxTasksPerWorker must not be negative, was $maxTasksPerWorker" }
        require(maxStartAttempts >= 1) { "maxStartAttempts must be at least 1, was $maxStartAttempts" }
        require(workerMainClass?.isNotBlank() ?: true) { "workerMainClass must not be blank; null means the default" }
        initializer?.let { io.asynccpu.internal.codec.TaskType.of(it.javaClass) } // refuse an unserializable one now
        finalizer?.let { io.asynccpu.internal.codec.TaskType.of(it.javaClass) }
        return ProcessPoolConfig(this)
    }
}
