package io.asynccpu.internal.worker

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.time.Instant

/**
 * Stops the processes a cancelled task started (like Python's asynccpu), so that a task waiting on a child process does
 * not leave it running when the caller cancels it; until now only the worker's exit stopped them.
 *
 * A process belongs to the task that started it. On Linux a child is listed under the thread that forked it
 * (`/proc/self/task/<tid>/children`), so each task records the kernel ids of the threads its coroutine ran on
 * ([TaskEntry.enter]: its slot's thread, and any thread it moved to with `withContext`). When the task is cancelled,
 * the children of those threads that started after the task began are killed (SIGKILL) with all their descendants: once
 * at the CANCEL (so a task blocked reading a child's output sees end of stream and ends), and again when the task has
 * ended (for a child started meanwhile). Nothing is read while tasks run and end normally.
 *
 * Limits: a process started from a thread the task's coroutine never ran on (a `Thread` or an executor the task
 * created) is not found; it is stopped when the worker exits. Without `/proc` (not Linux) the worker's children that
 * started after the task began are stopped, which with `tasksPerWorker > 1` can include another running task's.
 */
internal object TaskProcesses {
    private const val TICKS_PER_SECOND = 100L // USER_HZ: 100 on every Linux architecture the JDK runs on
    private const val NANOS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND
    private val proc: Path = Paths.get("/proc")
    private val nativeTid: ThreadLocal<Long> = ThreadLocal.withInitial(::readTid)

    /** The kernel id of the calling thread, or -1 where `/proc` does not tell (read once per thread). */
    fun currentTid(): Long = nativeTid.get()

    /**
     * Kills the processes that threads [tids] started since [startedNanos] ([System.nanoTime]), with their descendants.
     */
    fun stop(tids: LongArray, startedNanos: Long) {
        if (tids.isEmpty()) return
        val started = taskStartTicks(startedNanos)
        val children =
            if (started != null && tids.all { it > 0 }) {
                tids
                    .flatMap { tid -> childrenOf(tid) }
                    .distinct()
                    .filter { pid -> (startTicks(pid) ?: -1) >= started - 1 }
                    .mapNotNull { ProcessHandle.of(it).orElse(null) }
            } else {
                val since = Instant.now().minusNanos(System.nanoTime() - startedNanos)
                ProcessHandle.current()
                    .children()
                    .filter { child -> child.info().startInstant().map { !it.isBefore(since) }.orElse(false) }
                    .toList()
            }
        children.forEach(::killTree)
    }

    private fun killTree(process: ProcessHandle) {
        val descendants = process.descendants().toList() // listed first: once it dies they are re-parented
        process.destroyForcibly()
        descendants.forEach { it.destroyForcibly() }
    }

    private fun childrenOf(tid: Long): List<Long> =
        try {
            Files.readString(proc.resolve("self/task/$tid/children")).trim().split(' ').mapNotNull { it.toLongOrNull() }
        } catch (e: Exception) {
            emptyList() // the thread is gone, or the kernel does not list children
        }

    /** When the task began, in clock ticks since boot (the unit of a process's start time in `/proc/<pid>/stat`). */
    private fun taskStartTicks(startedNanos: Long): Long? =
        try {
            val uptimeSeconds = Files.readString(proc.resolve("uptime")).substringBefore(' ').toDouble()
            (uptimeSeconds * TICKS_PER_SECOND).toLong() - (System.nanoTime() - startedNanos) / NANOS_PER_TICK
        } catch (e: Exception) {
            null
        }

    /** Field 22 of `/proc/<pid>/stat` (after the command name, which may hold spaces). */
    private fun startTicks(pid: Long): Long? =
        try {
            Files.readString(proc.resolve("$pid/stat")).substringAfterLast(") ").split(' ')[19].toLong()
        } catch (e: Exception) {
            null
        }

    private fun readTid(): Long =
        try {
            Files.readSymbolicLink(proc.resolve("thread-self")).toString().substringAfterLast('/').toLong()
        } catch (e: Exception) {
            -1L
        }
}
