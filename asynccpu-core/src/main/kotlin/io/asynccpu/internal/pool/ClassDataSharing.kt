package io.asynccpu.internal.pool

import java.io.File
import java.nio.file.FileAlreadyExistsException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.nio.file.attribute.FileTime
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.concurrent.TimeUnit

/**
 * Application class-data sharing (AppCDS) for workers: a dynamic archive of the classes a worker
 * loads (Kotlin, coroutines, serialization, the worker itself, the tasks), so that later workers map
 * them instead of loading, verifying and linking each one. It roughly halves a worker's start-up.
 *
 * The archive is created on first use and kept in a cache folder (`~/.cache/asynccpu/cds`, or the
 * `asynccpu.cds.dir` system property), one file per JDK, class path (with each jar's size and time)
 * and option set. The first worker that finds no archive takes a lock file and runs with
 * `-XX:ArchiveClassesAtExit=<temporary file>`; the JVM writes the archive when that worker exits, and
 * the temporary file is renamed into place atomically only if the worker exited normally. Workers
 * that start meanwhile (in this pool or in any other process) simply run without an archive, so
 * pools starting at once never share a half-written file. The folder keeps the [MAX_ARCHIVES] most
 * recently used archives ([prune]).
 *
 * On JDK 25 and later the archive is an AOT cache (JEP 483) instead: it also holds the classes linked
 * and the workers start faster with it than with a dynamic archive. The first worker runs with
 * `-XX:AOTMode=record`; once it exited normally, a `java -XX:AOTMode=create` with the worker's options
 * assembles the cache in the background (a few seconds, once), and it is renamed into place the same
 * way. (The one-step `-XX:AOTCacheOutput` would make the worker's own exit wait for the assembly and
 * print to its stdout.)
 *
 * JDK 19's `-XX:+AutoCreateSharedArchive` is not used: every JVM that starts before the archive
 * exists writes it at exit, to the same file, so concurrent workers (and concurrent pools) would race
 * on it; the archive it writes is the same dynamic archive, so start-up gains nothing from it.
 *
 * Off when the class path holds anything but jar files (the JVM cannot archive classes from
 * directories and refuses to dump), when the pool's JVM options already mention class-data sharing
 * or an AOT cache,
 * for a JDK older than 13, or with `-Dasynccpu.cds=false`.
 */
internal class ClassDataSharing(
    javaHome: String,
    private val classpath: String,
    jvmArgs: List<String>,
    directory: () -> Path = ::cacheDirectory,
) {
    private val archive: Path? = try {
        archivePath(javaHome, classpath, jvmArgs, directory)
    } catch (e: Exception) {
        null
    }

    private val java: String = Paths.get(javaHome, "bin", "java").toString()
    private val aot: Boolean = archive?.fileName?.toString()?.endsWith(AOT_SUFFIX) == true

    /**
     * What a new worker gets: JVM options, and what to do once it exited, with its exit code (null: it
     * never started) and its command line.
     */
    class Plan(val options: List<String>, val onExit: (exitCode: Int?, command: List<String>) -> Unit)

    fun plan(): Plan {
        val archive = archive ?: return NONE
        if (Files.isRegularFile(archive)) {
            // Marks it as recently used, so that pruning keeps it.
            runCatching { Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis())) }
            return Plan(listOf(if (aot) "-XX:AOTCache=$archive" else "-XX:SharedArchiveFile=$archive") + quiet(), NO_ACTION)
        }
        val lock = archive.resolveSibling(archive.fileName.toString() + ".lock")
        if (!tryLock(lock)) return NONE
        val temporary = archive.resolveSibling("${archive.fileName}.${ProcessHandle.current().pid()}-${System.nanoTime()}.tmp")
        if (aot) {
            // JDK 25: the worker records which classes it loads and links; once it exited normally, a separate
            // JVM assembles the cache from that record, in the background, with the worker's own options.
            val record = temporary.resolveSibling("${temporary.fileName}.aotconf.tmp")
            val options = listOf("-XX:AOTMode=record", "-XX:AOTConfiguration=$record") + quiet()
            return Plan(options) { exitCode, command ->
                val assemble = exitCode == 0 && Files.isRegularFile(record)
                if (!assemble) {
                    release(lock, temporary, record)
                } else {
                    Thread({ assemble(record, temporary, command, lock) }, "asynccpu-aot-cache").apply { isDaemon = true }.start()
                }
            }
        }
        return Plan(listOf("-XX:ArchiveClassesAtExit=$temporary") + quiet()) { exitCode, _ ->
            // The JVM writes the archive while exiting; a killed or failed worker's file is not trusted.
            if (exitCode == 0) install(temporary)
            release(lock, temporary)
        }
    }

    private fun quiet() = if (aot) QUIET_AOT else QUIET

    /**
     * Runs `java -XX:AOTMode=create` with the worker's JVM options; a small `sh` script renames the cache
     * into place and releases the lock when it is done, so that the cache is installed even when this
     * JVM exits meanwhile (a short program's pool). Paths travel as environment variables, never
     * inside the script.
     */
    private fun assemble(record: Path, temporary: Path, command: List<String>, lock: Path) {
        val archive = archive ?: return
        try {
            val create = ArrayList<String>()
            create += listOf("sh", "-c", ASSEMBLY_SCRIPT, java)
            create += workerOptions(command, java)
            create += listOf("-XX:AOTMode=create", "-XX:AOTConfiguration=$record", "-XX:AOTCache=$temporary", "-cp", classpath)
            val builder = ProcessBuilder(create)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
            builder.environment() += mapOf(
                "ASYNCCPU_AOT_TMP" to temporary.toString(),
                "ASYNCCPU_AOT_CACHE" to archive.toString(),
                "ASYNCCPU_AOT_RECORD" to record.toString(),
                "ASYNCCPU_AOT_LOCK" to lock.toString(),
            )
            val process = builder.start()
            if (process.waitFor(ASSEMBLY_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                prune(archive.parent, MAX_ARCHIVES)
            } else {
                process.descendants().forEach { it.destroyForcibly() }
                process.destroyForcibly()
                release(lock, temporary, record)
            }
        } catch (e: Exception) {
            release(lock, temporary, record) // no cache this time; a later worker tries again
        }
    }

    private fun install(temporary: Path) {
        val archive = archive ?: return
        try {
            if (Files.isRegularFile(temporary) && Files.size(temporary) > 0) {
                Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
                prune(archive.parent, MAX_ARCHIVES)
            }
        } catch (e: Exception) {
            // no archive this time; a later worker tries again
        }
    }

    private fun release(lock: Path, vararg files: Path) {
        files.forEach { runCatching { Files.deleteIfExists(it) } }
        runCatching { Files.deleteIfExists(lock) }
    }

    private fun tryLock(lock: Path): Boolean {
        try {
            Files.createFile(lock)
            return true
        } catch (e: FileAlreadyExistsException) {
            // A creator that died (its parent was killed) leaves its lock behind: take it over after a while.
            val age = runCatching { System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() }.getOrDefault(0L)
            if (age < STALE_LOCK_MILLIS) return false
            runCatching { Files.deleteIfExists(lock) }
            return runCatching { Files.createFile(lock) }.isSuccess
        } catch (e: Exception) {
            return false
        }
    }

    companion object {
        const val ENABLED_PROPERTY: String = "asynccpu.cds"
        const val DIRECTORY_PROPERTY: String = "asynccpu.cds.dir"

        private val NO_ACTION: (Int?, List<String>) -> Unit = { _, _ -> }
        private val NONE = Plan(emptyList(), NO_ACTION)
        private val QUIET = listOf("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")

        /** (`-Xshare` cannot be combined with the AOT cache; a cache that does not fit is skipped silently.) */
        private val QUIET_AOT = listOf("-Xlog:aot=off", "-Xlog:cds=off")
        private const val AOT_SUFFIX = ".aot"
        private const val AOT_FEATURE = 25
        private val ASSEMBLY_TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(2)

        /** `$0 "$@"` is the assembling `java` command; the cache is renamed into place only if it succeeded. */
        private val ASSEMBLY_SCRIPT: String =
            "\"$0\" \"$@\" && [ -s \"${'$'}ASYNCCPU_AOT_TMP\" ] && mv -f \"${'$'}ASYNCCPU_AOT_TMP\" \"${'$'}ASYNCCPU_AOT_CACHE\"; " +
                "rm -f \"${'$'}ASYNCCPU_AOT_TMP\" \"${'$'}ASYNCCPU_AOT_RECORD\" \"${'$'}ASYNCCPU_AOT_LOCK\""

        /**
         * The JVM options of a worker's [command] line: after the [java] executable (a `setsid` prefix
         * goes), up to the main class (the first argument that is not an option), without the class path
         * (the assembly gets it explicitly: an @argfile may be gone with its pool) and without the
         * recording and logging options.
         */
        fun workerOptions(command: List<String>, java: String): List<String> {
            val options = ArrayList<String>()
            var i = command.indexOf(java) + 1
            while (i in 1 until command.size) {
                val arg = command[i]
                when {
                    arg == "-cp" || arg == "-classpath" || arg == "--class-path" -> i++
                    arg.startsWith("@") || arg.startsWith("-XX:AOT") || arg.startsWith("-Xlog:") -> {}
                    arg.startsWith("-") -> options += arg
                    else -> break // the main class
                }
                i++
            }
            return options
        }
        private val STALE_LOCK_MILLIS = TimeUnit.MINUTES.toMillis(10)
        /** Archives kept in the cache folder (one per JDK, class path and options); the least recently used go first. */
        const val MAX_ARCHIVES: Int = 8

        private val CDS_OPTIONS = listOf(
            "-Xshare", "SharedArchiveFile", "ArchiveClassesAtExit", "AutoCreateSharedArchive", "SharedClassListFile", "AOTCache",
            "AOTMode", "AOTConfiguration",
        )

        /** The archive for this JDK, class path and options, or null when sharing cannot or should not be used. */
        private fun archivePath(javaHome: String, classpath: String, jvmArgs: List<String>, directory: () -> Path): Path? {
            if (System.getProperty(ENABLED_PROPERTY) == "false") return null
            if (jvmArgs.any { arg -> CDS_OPTIONS.any { arg.contains(it) } }) return null
            val version = jdkVersion(javaHome) ?: return null
            val feature = version.substringBefore('.').substringBefore('+').substringBefore('-').toIntOrNull() ?: return null
            if (feature < 13) return null
            val entries = classpath.split(File.pathSeparator).filter { it.isNotEmpty() }.map { File(it) }
            if (entries.isEmpty() || entries.any { !it.isFile || !it.name.endsWith(".jar") }) return null
            val digest = MessageDigest.getInstance("SHA-256")
            fun add(s: String) = digest.update((s + "\u0000").toByteArray(Charsets.UTF_8))
            add(File(javaHome).canonicalPath)
            add(version)
            entries.forEach { add("${it.absolutePath}|${it.length()}|${it.lastModified()}") }
            jvmArgs.forEach(::add)
            val key = digest.digest().take(12).joinToString("") { "%02x".format(it) }
            return directory().resolve("worker-jdk$feature-$key" + if (feature >= AOT_FEATURE) AOT_SUFFIX else ".jsa")
        }

        /**
         * Keeps the [keep] most recently used archives in [dir] and deletes the others (a class path that
         * changes with every build would otherwise leave an archive of several MB behind each time), and
         * deletes temporary files and locks that a killed creator left behind. A worker still mapping a
         * deleted archive keeps its mapping.
         */
        fun prune(dir: Path, keep: Int) {
            val files = Files.list(dir).use { it.toList() }
            val now = System.currentTimeMillis()
            fun modified(p: Path) = runCatching { Files.getLastModifiedTime(p).toMillis() }.getOrDefault(now)
            files.filter { it.fileName.toString().endsWith(".tmp") && now - modified(it) > STALE_LOCK_MILLIS }
                .forEach { runCatching { Files.deleteIfExists(it) } }
            files.filter { it.fileName.toString().let { n -> n.startsWith("worker-") && (n.endsWith(".jsa") || n.endsWith(AOT_SUFFIX)) } }
                .sortedByDescending(::modified)
                .drop(keep)
                .forEach { runCatching { Files.deleteIfExists(it) } }
        }

        private fun cacheDirectory(): Path {
            val configured = System.getProperty(DIRECTORY_PROPERTY)
            val dir = when {
                configured != null -> Paths.get(configured)
                System.getenv("XDG_CACHE_HOME") != null -> Paths.get(System.getenv("XDG_CACHE_HOME"), "asynccpu", "cds")
                else -> Paths.get(System.getProperty("user.home"), ".cache", "asynccpu", "cds")
            }
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir.parent)
                runCatching {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")))
                }
            }
            check(Files.isDirectory(dir) && Files.isWritable(dir))
            return dir
        }

        /** The JDK's full version: from this JVM when it is the same Java home, else from its `release` file. */
        private fun jdkVersion(javaHome: String): String? {
            if (File(javaHome).canonicalPath == File(System.getProperty("java.home")).canonicalPath) {
                return Runtime.version().toString()
            }
            val release = File(javaHome, "release").takeIf { it.isFile } ?: return null
            val lines = release.readLines()
            val line = lines.firstOrNull { it.startsWith("JAVA_RUNTIME_VERSION=") } ?: lines.firstOrNull { it.startsWith("JAVA_VERSION=") }
            return line?.substringAfter('=')?.trim('"')
        }
    }
}
