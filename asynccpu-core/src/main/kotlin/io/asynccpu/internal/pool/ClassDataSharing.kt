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
 * JDK 19's `-XX:+AutoCreateSharedArchive` would do the same with one option, but every JVM that
 * starts before the archive exists writes it at exit, to the same file: concurrent workers (and
 * concurrent pools) would race on it. The archive it writes is the same dynamic archive, so start-up
 * gains nothing from it; the lock and the atomic rename stay.
 *
 * Off when the class path holds anything but jar files (the JVM cannot archive classes from
 * directories and refuses to dump), when the pool's JVM options already mention class-data sharing,
 * for a JDK older than 13, or with `-Dasynccpu.cds=false`.
 */
internal class ClassDataSharing(
    javaHome: String,
    classpath: String,
    jvmArgs: List<String>,
    directory: () -> Path = ::cacheDirectory,
) {
    private val archive: Path? = try {
        archivePath(javaHome, classpath, jvmArgs, directory)
    } catch (e: Exception) {
        null
    }

    /** What a new worker gets: JVM options, and what to do with its exit code (null: it never started). */
    class Plan(val options: List<String>, val onExit: (Int?) -> Unit)

    fun plan(): Plan {
        val archive = archive ?: return NONE
        if (Files.isRegularFile(archive)) {
            // Marks it as recently used, so that pruning keeps it.
            runCatching { Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis())) }
            return Plan(listOf("-XX:SharedArchiveFile=$archive") + QUIET, {})
        }
        val lock = archive.resolveSibling(archive.fileName.toString() + ".lock")
        if (!tryLock(lock)) return NONE
        val temporary = archive.resolveSibling("${archive.fileName}.${ProcessHandle.current().pid()}-${System.nanoTime()}.tmp")
        return Plan(listOf("-XX:ArchiveClassesAtExit=$temporary") + QUIET) { exitCode ->
            try {
                // The JVM writes the archive while exiting; a killed or failed worker's file is not trusted.
                if (exitCode == 0 && Files.isRegularFile(temporary) && Files.size(temporary) > 0) {
                    Files.move(temporary, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING)
                    prune(archive.parent, MAX_ARCHIVES)
                }
            } catch (e: Exception) {
                // no archive this time; a later worker tries again
            } finally {
                runCatching { Files.deleteIfExists(temporary) }
                runCatching { Files.deleteIfExists(lock) }
            }
        }
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

        private val NONE = Plan(emptyList(), {})
        private val QUIET = listOf("-Xshare:auto", "-Xlog:cds=off", "-Xlog:cds+dynamic=off")
        private val STALE_LOCK_MILLIS = TimeUnit.MINUTES.toMillis(10)
        /** Archives kept in the cache folder (one per JDK, class path and options); the least recently used go first. */
        const val MAX_ARCHIVES: Int = 8

        private val CDS_OPTIONS = listOf("-Xshare", "SharedArchiveFile", "ArchiveClassesAtExit", "AutoCreateSharedArchive", "SharedClassListFile")

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
            return directory().resolve("worker-jdk$feature-$key.jsa")
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
            files.filter { it.fileName.toString().let { n -> n.startsWith("worker-") && n.endsWith(".jsa") } }
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
