package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolConfig
import io.asynccpu.internal.worker.Worker
import java.io.File
import java.io.IOException
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions

/**
 * Builds worker command lines (starting the process is [WorkerProcess]'s).
 *
 * A worker runs `java` from the configured (default: the caller's) `java.home`, with the class path and main class its
 * [WorkerEntryPoint] chose (the class path through an `@argfile` when it is long), the pool's JVM options and a default
 * heap cap. On Linux it is started through `setsid`, so that it leads its own process group ([ProcessGroups]). No shell
 * is involved: every argument is passed as is.
 *
 * Each worker gets a private FIFO for its answers, in a directory only this user can enter.
 */
internal class WorkerLauncher(private val config: ProcessPoolConfig) {
    private val directory: Path by lazy {
        Files.createTempDirectory(
            "asynccpu-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")),
        )
    }

    val javaExecutable: String = Paths.get(config.javaHome ?: System.getProperty("java.home"), "bin", "java").toString()

    /** Decided when the pool is created: a caller the pool cannot start workers for fails then. */
    val entryPoint: WorkerEntryPoint = WorkerEntryPoint.of(config)

    private val classpath: String = entryPoint.classpath

    private val sharing =
        ClassDataSharing(config.javaHome ?: System.getProperty("java.home"), classpath, config.jvmArgs)

    private val classpathArguments: List<String> by lazy {
        if (classpath.length <= ARGFILE_THRESHOLD) {
            listOf("-cp", classpath)
        } else {
            val argfile = directory.resolve("classpath.argfile")
            Files.writeString(argfile, "-cp \"" + escapeForArgfile(classpath) + "\"\n")
            listOf("@$argfile")
        }
    }

    /** The full command line for worker [workerId] answering on [fifo]. */
    fun command(workerId: Int, fifo: Path, extraOptions: List<String> = emptyList()): List<String> {
        val command = ProcessGroups.prefix().toMutableList()
        command += javaExecutable
        if (config.jvmArgs.none { it.startsWith("-Xmx") || it.startsWith("-XX:MaxRAM") }) {
            command += "-Xmx${defaultHeapMegabytes(config.maxWorkers)}m"
        }
        if (config.jvmArgs.none { arg -> IDLE_MEMORY_OVERRIDES.any { arg.contains(it) } })
            command += IDLE_MEMORY_OPTIONS
        command += "-Dsun.stdout.encoding=UTF-8"
        command += "-Dsun.stderr.encoding=UTF-8"
        command += "-Dstdout.encoding=UTF-8"
        command += "-Dstderr.encoding=UTF-8"
        val plugins = config.extensions.flatMap { it.workerPlugins }
        if (plugins.isNotEmpty()) command += "-D${Worker.PLUGINS_PROPERTY}=${plugins.joinToString(",")}"
        command += extraOptions
        command += entryPoint.options
        command += config.jvmArgs
        command += classpathArguments
        command += entryPoint.mainClass
        command += fifo.toString()
        command += ProcessHandle.current().pid().toString()
        command += workerId.toString()
        command += config.maxFrameSize.toString()
        command += config.tasksPerWorker.toString()
        return command
    }

    /** Creates the FIFO worker [workerId] will answer on. */
    fun createFifo(workerId: Int, attempt: Long): Path {
        val fifo = directory.resolve("worker-$workerId-$attempt.fifo")
        val mkfifo = ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start()
        val output = mkfifo.inputStream.readAllBytes().toString(Charsets.UTF_8)
        if (mkfifo.waitFor() != 0) throw IOException("mkfifo $fifo failed: $output")
        return fifo
    }

    /**
     * What starting worker [workerId], answering on [fifo], takes: its command line (with this start's class-data
     * sharing options), its environment, and what to do once it exited. [WorkerProcess] starts it.
     */
    fun prepare(workerId: Int, fifo: Path): WorkerCommand {
        val sharingPlan = sharing.plan()
        val command = command(workerId, fifo, sharingPlan.options)
        return WorkerCommand(command, config.environment) { exitCode -> sharingPlan.onExit(exitCode, command) }
    }

    /**
     * Removes the pool's private directory. Never throws: a worker that was still starting when the pool closed may
     * create its FIFO between the listing and the removal, so the removal is tried again; what still cannot be removed
     * stays in the temporary directory (only this user can enter it).
     */
    fun close() {
        val dir = runCatching { directory }.getOrNull() ?: return
        repeat(CLOSE_ATTEMPTS) {
            dir.toFile().listFiles()?.forEach(File::delete)
            try {
                Files.deleteIfExists(dir)
                return
            } catch (e: IOException) {
                // DirectoryNotEmptyException: something appeared meanwhile; try again
            }
        }
    }

    companion object {
        const val WORKER_MAIN: String = io.asynccpu.ProcessPoolBuilder.WORKER_MAIN_CLASS
        private const val CLOSE_ATTEMPTS = 3

        /**
         * An idle worker gives its heap back: after a second without a collection G1 runs a concurrent cycle and
         * uncommits free regions down to 20 % headroom. A worker that served a burst keeps its grown young generation
         * otherwise (M1: 304 MB resident after 161,000 calls, 94 MB with these). Skipped when the pool's jvmArgs pick a
         * collector or set any of these.
         */
        val IDLE_MEMORY_OPTIONS: List<String> =
            listOf("-XX:G1PeriodicGCInterval=1000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=20")
        private val IDLE_MEMORY_OVERRIDES = listOf("GC", "HeapFreeRatio")

        /** Class paths longer than this go through an `@argfile` (Windows caps a command line near 32K). */
        const val ARGFILE_THRESHOLD: Int = 8_000

        /** Each worker's heap cap when none is given: together, workers use at most half the memory. */
        fun defaultHeapMegabytes(maxWorkers: Int): Long {
            val os = ManagementFactory.getOperatingSystemMXBean()
            val total = (os as? com.sun.management.OperatingSystemMXBean)?.totalMemorySize ?: (4L shl 30)
            return (total / 2 / maxWorkers / (1 shl 20)).coerceIn(64, 32_768)
        }

        fun escapeForArgfile(value: String): String = value.replace("\\", "\\\\").replace("\"", "\\\"")
    }
}

/**
 * A worker's command line and environment, ready to start. [exited] hears how the process ended: its exit code, or null
 * if it could not be started.
 */
internal class WorkerCommand(
    val arguments: List<String>,
    val environment: Map<String, String>,
    val exited: (exitCode: Int?) -> Unit,
)
