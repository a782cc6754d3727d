package io.asynccpu

import java.nio.file.Files
import java.nio.file.Paths
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.flow.onCompletion
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.Serializable

// Tasks and functions for the pool-management, map, streaming and broadcast tests.

/** Initializer: records in WorkerState that it ran (and how often), optionally after checking a file exists. */
@Serializable
class InitTask(val label: String, val requiredFile: String = "") : ProcessTask<Unit> {
    override suspend fun run() {
        if (requiredFile.isNotEmpty() && !Files.exists(Paths.get(requiredFile))) {
            throw IllegalStateException("init $label: $requiredFile is missing")
        }
        WorkerState["init"] = label
        WorkerState["initCount"] = (WorkerState.get<Int>("initCount") ?: 0) + 1
    }
}

/** Reads what the initializer and broadcasts left in this worker. */
@Serializable
class ReadStateTask(val key: String) : ProcessTask<String> {
    override suspend fun run(): String = "${WorkerState.get<Any>(key)}"
}

/** Finalizer: appends this worker's pid to a file. */
@Serializable
class AppendPidTask(val path: String) : ProcessTask<Unit> {
    override suspend fun run() {
        Files.writeString(
            Paths.get(path),
            "${ProcessHandle.current().pid()}\n",
            java.nio.file.StandardOpenOption.CREATE,
            java.nio.file.StandardOpenOption.APPEND,
        )
    }
}

/** Broadcast: loads a "lookup table" into WorkerState and counts how often it ran in this worker. */
@Serializable
class LoadTableTask(val size: Int) : ProcessTask<Long> {
    override suspend fun run(): Long {
        WorkerState["table"] = (0 until size).associate { "k$it" to "v$it" }
        WorkerState["loads"] = (WorkerState.get<Int>("loads") ?: 0) + 1
        return ProcessHandle.current().pid()
    }
}

/** What a lookup saw: the value, how many times the table was loaded in that worker, and the pid. */
@Serializable data class LookupResult(val value: String?, val loads: Int, val pid: Long)

@Serializable
class LookupTask(val key: String) : ProcessTask<LookupResult> {
    override suspend fun run(): LookupResult =
        LookupResult(
            WorkerState.get<Map<String, String>>("table")?.get(key),
            WorkerState.get<Int>("loads") ?: 0,
            ProcessHandle.current().pid(),
        )
}

/** Counts suspending tasks running at once in this worker and waits until [parties] of them are in. */
object Barrier {
    val arrived = AtomicInteger()
}

@Serializable
class BarrierTask(val parties: Int) : ProcessTask<Long> {
    override suspend fun run(): Long {
        Barrier.arrived.incrementAndGet()
        withTimeout(60_000) { while (Barrier.arrived.get() < parties) delay(5) }
        return ProcessHandle.current().pid()
    }
}

/** Reports progress [steps] times, then returns. */
@Serializable
class ProgressTask(val steps: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        for (i in 1..steps) reportProgress(i.toDouble() / steps, "step $i of $steps")
        return "done $steps"
    }
}

/** Emits 0 until [count]; fails at [failAt] if set. */
@Serializable
class CountStream(val count: Int, val failAt: Int = -1) : StreamingTask<Int> {
    override fun stream(): Flow<Int> = flow {
        for (i in 0 until count) {
            if (i == failAt) throw IllegalArgumentException("stream failed at $i")
            emit(i)
        }
    }
}

/** An endless stream that prints when it is cancelled, so tests can wait for that. */
@Serializable
class EndlessStream(val marker: String) : StreamingTask<Long> {
    override fun stream(): Flow<Long> =
        flow {
                var i = 0L
                while (true) emit(i++)
            }
            .onCompletion { cause -> if (cause != null) println("$marker stopped: ${cause.javaClass.simpleName}") }
}

/**
 * Checks the back-pressure contract from the worker's side: after each emit returns, the items sent minus the items the
 * caller has consumed (which the caller writes to [consumedFile] before it grants more credit) never exceed [window].
 */
@Serializable
class CreditCheckingStream(val count: Int, val window: Int, val consumedFile: String) : StreamingTask<Int> {
    override fun stream(): Flow<Int> = flow {
        for (i in 0 until count) {
            emit(i)
            val sent = i + 1
            val consumed = Files.readString(Paths.get(consumedFile)).trim().toIntOrNull() ?: 0
            check(sent - consumed <= window) {
                "sent $sent items but the caller consumed only $consumed (window $window)"
            }
            if (sent - consumed == window) println("window full at $sent")
        }
    }
}
