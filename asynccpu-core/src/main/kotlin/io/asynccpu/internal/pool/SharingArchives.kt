package io.asynccpu.internal.pool

import java.io.File
import java.nio.file.FileAlreadyExistsException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions
import java.security.MessageDigest
import java.util.concurrent.TimeUnit

/**
 * The cache folder of [ClassDataSharing] archives (`~/.cache/asynccpu/cds`, or the `asynccpu.cds.dir` system property):
 * one archive per JDK, class path (with each jar's size and time) and option set, the lock file of the one worker
 * creating each, and the bound on how many archives stay ([prune]).
 */
internal object SharingArchives {
    const val AOT_SUFFIX: String = ".aot"
    private const val AOT_FEATURE = 25

    /** Archives kept in the cache folder; the least recently used go first. */
    const val MAX_ARCHIVES: Int = 8

    /** A creator that died (its parent was killed) leaves its lock and files behind: they count as stale after this. */
    private val STALE_MILLIS = TimeUnit.MINUTES.toMillis(10)

    private val CDS_OPTIONS =
        listOf(
            "-Xshare",
            "SharedArchiveFile",
            "ArchiveClassesAtExit",
            "AutoCreateSharedArchive",
            "SharedClassListFile",
            "DumpLoadedClassList",
            "AOTCache",
            "AOTMode",
            "AOTConfiguration",
        )

    /** Whether a JVM option is about class-data sharing (the pool's own turn ours off; the assembly drops ours). */
    fun isSharingOption(arg: String): Boolean = CDS_OPTIONS.any { arg.contains(it) }

    /** The archive for this JDK, class path and options, or null when sharing cannot or should not be used. */
    fun archivePath(javaHome: String, classpath: String, jvmArgs: List<String>, directory: () -> Path): Path? {
        if (System.getProperty(ClassDataSharing.ENABLED_PROPERTY) == "false") return null
        if (jvmArgs.any(::isSharingOption)) return null
        val version = jdkVersion(javaHome) ?: return null
        val feature =
            version.substringBefore('.').substringBefore('+').substringBefore('-').toIntOrNull() ?: return null
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
        // "static": a static archive (the dynamic ones of earlier versions were named worker-jdkN-key.jsa).
        return directory()
            .resolve("worker-jdk$feature-$key" + if (feature >= AOT_FEATURE) AOT_SUFFIX else "-static.jsa")
    }

    fun lockOf(archive: Path): Path = archive.resolveSibling(archive.fileName.toString() + ".lock")

    fun tryLock(lock: Path): Boolean {
        try {
            Files.createFile(lock)
            return true
        } catch (e: FileAlreadyExistsException) {
            // A creator that died (its parent was killed) leaves its lock behind: take it over after a while.
            val age =
                runCatching { System.currentTimeMillis() - Files.getLastModifiedTime(lock).toMillis() }.getOrDefault(0L)
            if (age < STALE_MILLIS) return false
            runCatching { Files.deleteIfExists(lock) }
            return runCatching { Files.createFile(lock) }.isSuccess
        } catch (e: Exception) {
            return false
        }
    }

    /** Deletes [files] and then the [lock]: a later worker may try again. */
    fun release(lock: Path, vararg files: Path) {
        files.forEach { runCatching { Files.deleteIfExists(it) } }
        runCatching { Files.deleteIfExists(lock) }
    }

    /**
     * Keeps the [keep] most recently used archives in [dir] and deletes the others (a class path that changes with
     * every build would otherwise leave an archive of several MB behind each time), and deletes temporary files and
     * locks that a killed creator left behind, and a lock beside an archive that exists (its creator's JVM ended before
     * it released it). A worker still mapping a deleted archive keeps its mapping.
     */
    fun prune(dir: Path, keep: Int) {
        val files = Files.list(dir).use { it.toList() }
        val now = System.currentTimeMillis()
        fun modified(p: Path) = runCatching { Files.getLastModifiedTime(p).toMillis() }.getOrDefault(now)
        fun isArchive(name: String) = name.startsWith("worker-") && (name.endsWith(".jsa") || name.endsWith(AOT_SUFFIX))
        files
            .filter { it.fileName.toString().endsWith(".tmp") && now - modified(it) > STALE_MILLIS }
            .forEach { runCatching { Files.deleteIfExists(it) } }
        files
            .filter { it.fileName.toString().endsWith(".lock") }
            .filter { lock ->
                now - modified(lock) > STALE_MILLIS ||
                    Files.exists(lock.resolveSibling(lock.fileName.toString().removeSuffix(".lock")))
            }
            .forEach { runCatching { Files.deleteIfExists(it) } }
        files
            .filter { isArchive(it.fileName.toString()) }
            .sortedByDescending(::modified)
            .drop(keep)
            .forEach { runCatching { Files.deleteIfExists(it) } }
    }

    fun cacheDirectory(): Path {
        val configured = System.getProperty(ClassDataSharing.DIRECTORY_PROPERTY)
        val dir =
            when {
                configured != null -> Paths.get(configured)
                System.getenv("XDG_CACHE_HOME") != null -> Paths.get(System.getenv("XDG_CACHE_HOME"), "asynccpu", "cds")
                else -> Paths.get(System.getProperty("user.home"), ".cache", "asynccpu", "cds")
            }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir.parent)
            runCatching {
                Files.createDirectory(
                    dir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")),
                )
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
        val line =
            lines.firstOrNull { it.startsWith("JAVA_RUNTIME_VERSION=") }
                ?: lines.firstOrNull { it.startsWith("JAVA_VERSION=") }
        return line?.substringAfter('=')?.trim('"')
    }
}
