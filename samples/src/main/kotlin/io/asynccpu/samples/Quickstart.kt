package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.logging.forwardLogs
import kotlin.time.measureTimedValue
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory

/**
 * The seed example: ten CPU-bound tasks on three worker JVMs, started with the structured `pool.async` and gathered
 * with awaitAll. Each task logs through SLF4J inside its worker; the records come home and are printed by the parent's
 * logback with the worker's pid. Each result says which worker process computed it.
 */
@Serializable
class SumOfSquares(val taskId: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        LoggerFactory.getLogger(SumOfSquares::class.java).info("task {} starting", taskId)
        val sum = (0 until 3_000_000L).sumOf { it * it }
        return "task $taskId: $sum (computed by worker pid ${ProcessHandle.current().pid()})"
    }
}

fun main() = runBlocking {
    println("parent pid ${ProcessHandle.current().pid()}: 10 tasks on 3 workers")
    val (results, elapsed) =
        measureTimedValue {
            ProcessPool {
                    maxWorkers = 3
                    forwardLogs() // worker SLF4J records -> this JVM's SLF4J (logback here)
                }
                .use { pool ->
                    // async: each task is a child of this coroutine; cancelling it (or a failing task) cancels the rest
                    // remotely
                    (0 until 10).map { pool.async(SumOfSquares(it)) }.awaitAll()
                }
        }
    results.forEach(::println)
    println("all 10 results in $elapsed")
}
