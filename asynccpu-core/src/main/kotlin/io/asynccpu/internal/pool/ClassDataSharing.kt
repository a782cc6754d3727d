package io.asynccpu.internal.pool

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.FileTime

/**
 * Class-data sharing for workers: an archive of the classes a worker loads (the JDK's, Kotlin, coroutines,
 * serialization, the worker itself, the tasks), so that later workers map them instead of loading, verifying and
 * linking each one. It roughly halves a worker's start-up.
 *
 * The archive is created on first use, in two steps, and kept in a cache folder ([SharingArchives]): the first worker
 * that finds no archive takes a lock file and runs with a recording option (the classes it loads go to a list); once it
 * exited normally, a separate `java` assembles the archive from that list in the background, with the worker's own
 * options ([ArchiveAssembly]), and the archive is renamed into place atomically. Workers that start meanwhile (in this
 * pool or in any other process) simply run without an archive, so pools starting at once never share a half-written
 * file.
 * - JDK 13-24: a static AppCDS archive (`-XX:DumpLoadedClassList`, then `-Xshare:dump`) that replaces the JDK's default
 *   archive. It holds exactly the classes a worker uses, with the archived heap objects, so a worker maps one archive
 *   instead of the JDK's plus a dynamic one: on JDK 17 this saves about 4 MB of an idle worker's resident memory (M1).
 *   A dynamic archive (`-XX:ArchiveClassesAtExit`, or JDK 19's `-XX:+AutoCreateSharedArchive`, which also has every JVM
 *   starting before the archive exists write it at exit, to the same file) sits on top of the JDK's default archive
 *   instead.
 * - JDK 25 and later: an AOT cache (JEP 483, `-XX:AOTMode=record`, then `-XX:AOTMode=create`), which also holds the
 *   classes linked. (The one-step `-XX:AOTCacheOutput` would make the worker's own exit wait for the assembly and print
 *   to its stdout.)
 *
 * Off when the class path holds anything but jar files (the JVM cannot archive classes from directories), when the
 * pool's JVM options already mention class-data sharing or an AOT cache, for a JDK older than 13, or with
 * `-Dasynccpu.cds=false`.
 */
internal class ClassDataSharing(
    javaHome: String,
    private val classpath: String,
    private val jvmArgs: List<String>,
    directory: () -> Path = SharingArchives::cacheDirectory,
) {
    private val archive: Path? =
        try {
            SharingArchives.archivePath(javaHome, classpath, jvmArgs, directory)
        } catch (e: Exception) {
            null
        }

    private val java: String = Paths.get(javaHome, "bin", "java").toString()
    private val aot: Boolean = archive?.fileName?.toString()?.endsWith(SharingArchives.AOT_SUFFIX) == true

    /**
     * What a new worker gets: JVM options, and what to do once it exited, with its exit code (null: it never started)
     * and its command line.
     */
    class Plan(val options: List<String>, val onExit: (exitCode: Int?, command: List<String>) -> Unit)

    fun plan(): Plan {
        val archive = archive ?: return NONE
        if (Files.isRegularFile(archive)) {
            // Marks it as recently used, so that pruning keeps it.
            runCatching { Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis())) }
            return Plan(
                if (aot) listOf("-XX:AOTCache=$archive") + QUIET_AOT
                else listOf("-XX:SharedArchiveFile=$archive") + QUIET + mapInPlace(),
                NO_ACTION,
            )
        }
        val lock = SharingArchives.lockOf(archive)
        if (!SharingArchives.tryLock(lock)) return NONE
        val temporary =
            archive.resolveSibling("${archive.fileName}.${ProcessHandle.current().pid()}-${System.nanoTime()}.tmp")
        val record = temporary.resolveSibling("${temporary.fileName}.${if (aot) "aotconf" else "classlist"}.tmp")
        val options =
            if (aot) listOf("-XX:AOTMode=record", "-XX:AOTConfiguration=$record") + QUIET_AOT + QUIET_RECORD
            else listOf("-XX:DumpLoadedClassList=$record")
        return Plan(options) { exitCode, command ->
            // A killed or failed worker's record is not trusted.
            if (exitCode == 0 && Files.isRegularFile(record)) {
                ArchiveAssembly(java, classpath, archive, lock, aot).start(record, temporary, command)
            } else {
                SharingArchives.release(lock, temporary, record)
            }
        }
    }

    /** [MAP_IN_PLACE], unless the pool's JVM options choose a relocation mode themselves. */
    private fun mapInPlace(): List<String> =
        if (jvmArgs.any { it.contains("ArchiveRelocationMode") }) emptyList() else MAP_IN_PLACE

    companion object {
        const val ENABLED_PROPERTY: String = "asynccpu.cds"
        const val DIRECTORY_PROPERTY: String = "asynccpu.cds.dir"

        private val NO_ACTION: (Int?, List<String>) -> Unit = { _, _ -> }
        private val NONE = Plan(emptyList(), NO_ACTION)
        private val QUIET = listOf("-Xshare:auto", "-Xlog:cds=off")

        /**
         * Maps the static archive at the address it was built for. JDK 17 builds that default to
         * `ArchiveRelocationMode=1` (Debian's, and upstream from JDK 20: the archive at a random address) rewrite every
         * pointer in it at start-up, which dirties all of its ~15 MB: with mode 0 an idle worker is about 3 MB smaller
         * (M1) and starts sooner (W5). If the address is taken, the JVM still relocates. (Not for the AOT cache: JDK 25
         * loads all of its classes at start-up either way, and showed no gain.)
         */
        private val MAP_IN_PLACE = listOf("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0")

        /** (`-Xshare` cannot be combined with the AOT cache; a cache that does not fit is skipped silently.) */
        private val QUIET_AOT = listOf("-Xlog:aot=off", "-Xlog:cds=off")

        /**
         * JDK 25's recording JVM prints "AOTConfiguration recorded: <file>" on its stdout at exit, whatever the logging
         * options: the pool would forward it as the worker's output. (VM warnings and errors are written to stderr
         * another way and still show.)
         */
        private val QUIET_RECORD = listOf("-XX:+UnlockDiagnosticVMOptions", "-XX:-DisplayVMOutput")
    }
}
