package io.asynccpu

import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout

/** Pids of this JVM's live child processes. */
fun childPids(): Set<Long> = ProcessHandle.current().children().filter { it.isAlive }.map { it.pid() }.toList().toSet()

/** Polls [condition] until it holds, failing after [millis]. For conditions no event announces (a process exiting). */
suspend fun eventually(millis: Long = 20_000, condition: () -> Boolean) {
    withTimeout(millis) { while (!condition()) delay(20) }
}

infix fun Set<Long>.shouldContainExactlyInAnyOrderPlus(extra: List<Long>) {
    this.shouldContainAll(extra)
}

infix fun List<String>.shouldContainInOrder(expected: List<String>) {
    val positions = expected.map { indexOf(it) }
    (positions.all { it >= 0 } && positions == positions.sorted()) shouldBe true
}

/** The command line of process [pid], read from /proc (ProcessHandle.Info is best-effort and sometimes empty). */
fun commandLineOf(pid: Long): List<String> =
    try {
        String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/$pid/cmdline"))).split('\u0000').filter {
            it.isNotEmpty()
        }
    } catch (e: java.io.IOException) {
        emptyList() // the process is gone
    }

fun isAlive(pid: Long): Boolean = ProcessHandle.of(pid).map { it.isAlive }.orElse(false)
