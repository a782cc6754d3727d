package io.asynccpu

import kotlinx.serialization.Serializable

// Tasks that inject faults into their own worker, for the reliability tests.

/**
 * Returns [value], and halts its worker (exit code 9) as soon as the answer has left: once the task's thread is back in
 * its pool (the RESULT frame is queued) and the worker's writer thread has gone idle again (the frame is written and
 * flushed), observed several times in a row.
 */
@Serializable
class ResultThenHaltTask(val value: String) : ProcessTask<String> {
    override suspend fun run(): String {
        val taskThread = Thread.currentThread()
        val writer = Thread.getAllStackTraces().keys.first { it.name == "asynccpu-worker-writer" }
        Thread(
                {
                    var idle = 0
                    while (idle < 5) {
                        Thread.sleep(2)
                        val quiet = taskThread.state == Thread.State.WAITING && writer.state == Thread.State.WAITING
                        idle = if (quiet) idle + 1 else 0
                    }
                    Runtime.getRuntime().halt(9)
                },
                "halt-after-result",
            )
            .start()
        return value
    }
}

/** Starts `sleep 600` (a grandchild of the pool's JVM), prints its pid, then spins for [millis] ignoring interrupts. */
@Serializable
class SpawnSleepTask(val millis: Long) : ProcessTask<String> {
    override suspend fun run(): String {
        val sleep = ProcessBuilder("sleep", "600").start()
        println("grandchild ${sleep.pid()}")
        System.out.flush()
        val until = System.nanoTime() + millis * 1_000_000
        while (System.nanoTime() < until) Thread.onSpinWait()
        return "spawned ${sleep.pid()}"
    }
}
