package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.WorkerState
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** Builds a lookup table in the worker that runs it and keeps it in WorkerState. */
@Serializable
class LoadSquares(val size: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        WorkerState["squares"] = LongArray(size) { it.toLong() * it }
        return "worker ${WorkerState.workerId} (pid ${ProcessHandle.current().pid()}) loaded $size squares"
    }
}

/** Reads the table the broadcast left in this worker. */
@Serializable
class SquareOf(val x: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        val table = checkNotNull(WorkerState.get<LongArray>("squares")) { "no table in this worker" }
        return "$x² = ${table[x]} (from worker ${WorkerState.workerId})"
    }
}

/**
 * Stateful workers: a broadcast loads a lookup table once into every worker (and, being sticky, into workers started
 * later: here maxTasksPerWorker recycles them), then tasks read it; submitTo sends a task to one chosen worker.
 */
fun main() = runBlocking {
    ProcessPool {
            maxWorkers = 2
            maxTasksPerWorker = 4
        }
        .use { pool ->
            pool.warmUp()
            pool.broadcast(LoadSquares(1_000)).forEach(::println)
            (0 until 10).map { pool.submit(SquareOf(it * 37)) }.awaitAll().forEach(::println)
            val chosen = pool.workerReports().first().worker
            println("to $chosen only: " + pool.submitTo(chosen, SquareOf(999)).await())
        }
}
