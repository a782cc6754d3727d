package io.asynccpu.future

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.JavaTask
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.ProcessTask
import io.asynccpu.WorkerOutputListener
import io.asynccpu.internal.codec.JavaSetupTask
import io.asynccpu.internal.pool.RealProcessPool
import io.asynccpu.spi.PoolExtension
import java.nio.file.Path
import java.time.Duration
import java.util.function.Consumer
import kotlin.time.toKotlinDuration

/**
 * A fluent builder of [ProcessPool]s for Java, returned by `ProcessPool.builder()`. It configures everything the Kotlin
 * `ProcessPool { ... }` builder does, with `java.time.Duration` and Java collections; each setting and its default is
 * documented on [ProcessPoolBuilder].
 *
 * ```java
 * try (ProcessPool pool = ProcessPool.builder()
 *         .maxWorkers(3)
 *         .addJvmArgs("-Xmx256m")
 *         .cancelGracePeriod(Duration.ofSeconds(5))
 *         .build()) {
 *     long primes = pool.invoke(CountPrimes.class, 1_000_000L);
 * }
 * ```
 *
 * Setters return this builder and check nothing; [build] validates the whole configuration and throws
 * `IllegalArgumentException` for an invalid value (a worker count below 1, a negative duration, a frame limit below
 * 1024 bytes). A builder is not thread-safe. It can build several pools; each gets the settings as they were when
 * [build] was called.
 */
public class JavaProcessPoolBuilder internal constructor() {
    private val settings = ProcessPoolBuilder()

    /** Name used in thread names, log lines and error messages. Default `"asynccpu"`. */
    public fun name(name: String): JavaProcessPoolBuilder = apply { settings.name = name }

    /** The most worker processes alive at once. Default: the number of available processors. */
    public fun maxWorkers(maxWorkers: Int): JavaProcessPoolBuilder = apply { settings.maxWorkers = maxWorkers }

    /** How many tasks one worker runs at the same time. Default 1, right for CPU-bound work. */
    public fun tasksPerWorker(tasksPerWorker: Int): JavaProcessPoolBuilder = apply {
        settings.tasksPerWorker = tasksPerWorker
    }

    /** Start all workers when the pool is built instead of on first demand. Default false. */
    public fun startEagerly(startEagerly: Boolean): JavaProcessPoolBuilder = apply {
        settings.startEagerly = startEagerly
    }

    /** The fewest workers the pool keeps alive (started at once, never retired for idleness). Default 0. */
    public fun minWorkers(minWorkers: Int): JavaProcessPoolBuilder = apply { settings.minWorkers = minWorkers }

    /** Retire workers idle this long, down to `minWorkers`. Default: never. */
    public fun idleTimeout(idleTimeout: Duration): JavaProcessPoolBuilder = apply {
        settings.idleTimeout = idleTimeout.toKotlinDuration()
    }

    /** Retire and replace a worker after it answered this many tasks. Default 0: no limit. */
    public fun maxTasksPerWorker(maxTasksPerWorker: Int): JavaProcessPoolBuilder = apply {
        settings.maxTasksPerWorker = maxTasksPerWorker
    }

    /** A task run once in each worker before its first task (see [ProcessPoolBuilder.initializer]). Default none. */
    public fun initializer(initializer: ProcessTask<*>?): JavaProcessPoolBuilder = apply {
        settings.initializer = initializer
    }

    /** A task run in a worker when it retires gracefully (see [ProcessPoolBuilder.finalizer]). Default none. */
    public fun finalizer(finalizer: ProcessTask<*>?): JavaProcessPoolBuilder = apply { settings.finalizer = finalizer }

    /**
     * A Java task run once in each worker before its first task, with [input]: the place to load a model or fill a
     * cache once per worker (keep it in a `static` field; the worker's tasks share its JVM). Its output is discarded.
     * Nothing else runs on a worker until it returns; if it throws (or its worker dies), the worker is discarded, and
     * after `maxStartAttempts` workers in a row failed so the pool is broken: tasks fail with
     * [io.asynccpu.BrokenPoolException] whose cause is its exception. Replaces an initializer set before.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws io.asynccpu.TaskEncodingException if its input type is not supported or [input] cannot be encoded.
     */
    public fun <I> initializer(taskClass: Class<out JavaTask<I, *>>, input: I): JavaProcessPoolBuilder = apply {
        settings.initializer = JavaSetupTask.of(taskClass, input)
    }

    /**
     * A Java task run with [input] in a worker when it retires gracefully (idle, recycled, or the pool closing), after
     * its last task: the place to flush or release what the initializer set up. Its failure is reported on `System.err`
     * and does not stop the retirement; it does not run when a worker crashes or is killed. Replaces a finalizer set
     * before.
     *
     * @throws IllegalArgumentException if [taskClass] cannot be instantiated by name in a worker.
     * @throws io.asynccpu.TaskEncodingException if its input type is not supported or [input] cannot be encoded.
     */
    public fun <I> finalizer(taskClass: Class<out JavaTask<I, *>>, input: I): JavaProcessPoolBuilder = apply {
        settings.finalizer = JavaSetupTask.of(taskClass, input)
    }

    /** How many workers in a row may fail to start before the pool is broken. Default 3. */
    public fun maxStartAttempts(maxStartAttempts: Int): JavaProcessPoolBuilder = apply {
        settings.maxStartAttempts = maxStartAttempts
    }

    /**
     * Adds options for each worker JVM, after those added before (`"-Xmx256m"`). Without an `-Xmx`, each worker's heap
     * is capped so that all workers together use at most half the machine's memory.
     */
    public fun addJvmArgs(vararg jvmArgs: String): JavaProcessPoolBuilder = apply { settings.jvmArgs += jvmArgs }

    /** Adds [jvmArgs], in iteration order, as [addJvmArgs] does. */
    public fun addJvmArgs(jvmArgs: Collection<String>): JavaProcessPoolBuilder = apply { settings.jvmArgs += jvmArgs }

    /** The Java home whose `bin/java` starts workers. Default null: the caller's `java.home`. */
    public fun javaHome(javaHome: String?): JavaProcessPoolBuilder = apply { settings.javaHome = javaHome }

    /** The Java home whose `bin/java` starts workers, as a path. */
    public fun javaHome(javaHome: Path): JavaProcessPoolBuilder = javaHome(javaHome.toString())

    /**
     * The workers' class path, entries joined with `File.pathSeparator`. Default null: worked out from how the caller
     * runs (class path, module path, Spring Boot executable jar; see [ProcessPoolBuilder.classpath]).
     */
    public fun classpath(classpath: String?): JavaProcessPoolBuilder = apply { settings.classpath = classpath }

    /**
     * The workers' class path as a list of jars and folders, for a runtime the pool cannot work it out for (a jlink
     * image, a container with its own launcher): asynccpu-core, its dependencies and the task classes. An empty list is
     * refused with `IllegalArgumentException` at once.
     */
    public fun classpath(entries: List<Path>): JavaProcessPoolBuilder = apply {
        require(entries.isNotEmpty()) {
            "classpath(List<Path>) needs at least one entry; pass null to classpath(String) for the default"
        }
        settings.classpath = entries.joinToString(java.io.File.pathSeparator)
    }

    /**
     * The main class a worker JVM starts (see [ProcessPoolBuilder.workerMainClass]); a launcher of yours must call
     * [ProcessPoolBuilder.WORKER_MAIN_CLASS]'s `main` with the arguments it was given.
     */
    public fun workerMainClass(workerMainClass: String?): JavaProcessPoolBuilder = apply {
        settings.workerMainClass = workerMainClass
    }

    /** Sets one environment variable for worker processes, replacing an earlier value. */
    public fun environment(name: String, value: String): JavaProcessPoolBuilder = apply {
        settings.environment[name] = value
    }

    /** Sets every entry of [environment] as an environment variable for worker processes. */
    public fun environment(environment: Map<String, String>): JavaProcessPoolBuilder = apply {
        settings.environment.putAll(environment)
    }

    /** How long a cancelled task may keep running before its worker is killed and replaced. Default 2 s. */
    public fun cancelGracePeriod(cancelGracePeriod: Duration): JavaProcessPoolBuilder = apply {
        settings.cancelGracePeriod = cancelGracePeriod.toKotlinDuration()
    }

    /** The largest encoded task or result in bytes. Default 1 GiB. */
    public fun maxFrameSize(maxFrameSize: Int): JavaProcessPoolBuilder = apply { settings.maxFrameSize = maxFrameSize }

    /** When true, `close()` cancels queued and running tasks instead of waiting for them. Default false. */
    public fun cancelPendingOnClose(cancelPendingOnClose: Boolean): JavaProcessPoolBuilder = apply {
        settings.cancelPendingOnClose = cancelPendingOnClose
    }

    /** How long `close()` waits for each worker to exit before killing it. Default 5 s. */
    public fun shutdownTimeout(shutdownTimeout: Duration): JavaProcessPoolBuilder = apply {
        settings.shutdownTimeout = shutdownTimeout.toKotlinDuration()
    }

    /** Receives each line the workers write to stdout or stderr (default: the caller's `System.err`). */
    public fun workerOutput(workerOutput: WorkerOutputListener): JavaProcessPoolBuilder = apply {
        settings.workerOutput = workerOutput
    }

    /** Installs an add-on such as log forwarding. Installing the same extension twice has no effect. */
    @InternalAsyncCpuApi
    public fun install(extension: PoolExtension): JavaProcessPoolBuilder = apply { settings.install(extension) }

    /**
     * Gives [configure] the underlying Kotlin [ProcessPoolBuilder], for settings this builder has no method for
     * (add-ons document theirs there). It runs now, in order with the other setters.
     */
    public fun configure(configure: Consumer<ProcessPoolBuilder>): JavaProcessPoolBuilder = apply {
        configure.accept(settings)
    }

    /**
     * Creates the pool. No process starts here unless [startEagerly] was set; a JVM shutdown hook stops the workers if
     * the program exits without closing the pool. Close it (try-with-resources).
     *
     * @throws IllegalArgumentException if a setting is invalid.
     */
    public fun build(): ProcessPool = RealProcessPool(settings.build())
}
