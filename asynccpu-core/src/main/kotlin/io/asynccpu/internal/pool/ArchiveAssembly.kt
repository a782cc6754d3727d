package io.asynccpu.internal.pool

import java.nio.file.Path
import java.util.concurrent.TimeUnit

/**
 * The second step of a [ClassDataSharing] archive: once the recording worker exited normally, a separate `java` with
 * the worker's own JVM options builds the [archive] from its record (`-Xshare:dump` from the class list, or
 * `-XX:AOTMode=create` from the AOT configuration on JDK 25+). A small `sh` script renames the result into place and
 * releases the [lock] when it is done, so that the archive is installed even when this JVM exits meanwhile (a short
 * program's pool). Paths travel as environment variables, never inside the script. Takes a few seconds, once per JDK,
 * class path and option set.
 */
internal class ArchiveAssembly(
    private val java: String,
    private val classpath: String,
    private val archive: Path,
    private val lock: Path,
    private val aot: Boolean,
) {
    /**
     * Starts building the archive from [record] into [temporary] (renamed into place by the script), with the options
     * of the worker [command], and returns once the process is started: it then completes on its own, even if this JVM
     * exits right after its last pool closed. A daemon thread bounds it and prunes the folder.
     */
    fun start(record: Path, temporary: Path, command: List<String>) {
        try {
            val create = ArrayList<String>()
            create += listOf("sh", "-c", SCRIPT, java)
            create += workerOptions(command, java)
            create +=
                if (aot) {
                    listOf("-XX:AOTMode=create", "-XX:AOTConfiguration=$record", "-XX:AOTCache=$temporary")
                } else {
                    listOf("-Xshare:dump", "-XX:SharedClassListFile=$record", "-XX:SharedArchiveFile=$temporary")
                }
            create += listOf("-cp", classpath)
            val builder =
                ProcessBuilder(create)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
            builder.environment() +=
                mapOf(
                    "ASYNCCPU_CDS_TMP" to temporary.toString(),
                    "ASYNCCPU_CDS_ARCHIVE" to archive.toString(),
                    "ASYNCCPU_CDS_RECORD" to record.toString(),
                    "ASYNCCPU_CDS_LOCK" to lock.toString(),
                )
            val process = builder.start()
            Thread({ await(process, record, temporary) }, "asynccpu-cds-archive").apply { isDaemon = true }.start()
        } catch (e: Exception) {
            SharingArchives.release(lock, temporary, record) // no archive this time; a later worker tries again
        }
    }

    private fun await(process: Process, record: Path, temporary: Path) {
        try {
            if (process.waitFor(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
                SharingArchives.prune(archive.parent, SharingArchives.MAX_ARCHIVES)
                return
            }
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
        } catch (e: Exception) {
            // pruning failed (a folder that went away): nothing else to do
            return
        }
        SharingArchives.release(lock, temporary, record)
    }

    companion object {
        private val TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(2)

        /** `$0 "$@"` is the assembling `java` command; the archive is renamed into place only if it succeeded. */
        private val SCRIPT: String =
            "\"$0\" \"$@\" && [ -s \"${'$'}ASYNCCPU_CDS_TMP\" ] && mv -f \"${'$'}ASYNCCPU_CDS_TMP\" \"${'$'}ASYNCCPU_CDS_ARCHIVE\"; " +
                "rm -f \"${'$'}ASYNCCPU_CDS_TMP\" \"${'$'}ASYNCCPU_CDS_RECORD\" \"${'$'}ASYNCCPU_CDS_LOCK\""

        /**
         * The JVM options of a worker's [command] line: after the [java] executable (a `setsid` prefix goes), up to the
         * main class (the first argument that is not an option), without the class path (the assembly gets it
         * explicitly: an @argfile may be gone with its pool) and without the recording, sharing and logging options.
         */
        fun workerOptions(command: List<String>, java: String): List<String> {
            val options = ArrayList<String>()
            var i = command.indexOf(java) + 1
            while (i in 1 until command.size) {
                val arg = command[i]
                when {
                    arg == "-cp" || arg == "-classpath" || arg == "--class-path" -> i++
                    arg.startsWith("@") || arg.startsWith("-Xlog:") || SharingArchives.isSharingOption(arg) -> {}
                    arg.startsWith("-") -> options += arg
                    else -> break // the main class
                }
                i++
            }
            return options
        }
    }
}
