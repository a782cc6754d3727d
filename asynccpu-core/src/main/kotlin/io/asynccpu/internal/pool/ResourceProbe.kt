package io.asynccpu.internal.pool

import java.nio.file.Files
import java.nio.file.Paths
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * Reads a worker's CPU time and resident memory from the operating system, in the caller's process (so a busy or stuck
 * worker can still be measured). CPU time comes from `ProcessHandle` (which reads `/proc/<pid>/stat` on Linux),
 * resident memory from `VmRSS` in `/proc/<pid>/status`; either is null where the system does not provide it.
 */
internal object ResourceProbe {
    fun cpuTime(pid: Long): Duration? =
        ProcessHandle.of(pid).flatMap { it.info().totalCpuDuration() }.map { it.toKotlinDuration() }.orElse(null)

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
