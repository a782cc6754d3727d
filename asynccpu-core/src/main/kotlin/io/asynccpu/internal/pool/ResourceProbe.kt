package io.asynccpu.internal.pool

import java.nio.file.Files
import java.nio.file.Paths

/**
 * Reads a process's resident memory from the operating system (`VmRSS` in `/proc/<pid>/status`), in the caller's
 * process, so a busy or stuck worker can still be measured; null where the system does not provide it. Used by
 * [WorkerProcess.residentBytes] (its CPU time comes from its `Process`).
 */
internal object ResourceProbe {
    fun residentBytes(pid: Long): Long? =
        try {
            Files.readAllLines(Paths.get("/proc/$pid/status"))
                .firstOrNull { it.startsWith("VmRSS:") }
                ?.removePrefix("VmRSS:")
                ?.trim()
                ?.substringBefore(' ')
                ?.toLongOrNull()
                ?.let { it * 1024 }
        } catch (e: java.io.IOException) {
            null
        } catch (e: SecurityException) {
            null
        }
}
