package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.logging.LogLevel
import io.asynccpu.logging.WorkerConfigurer
import io.asynccpu.logging.WorkerLogSettings
import io.asynccpu.logging.forwardLogs
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory

/**
 * Capture logs from the workers: the JVM version of the Python asynccpu README's example, where a QueueHandler in each
 * worker and a QueueListener in the parent bring worker log records home.
 *
 * The ten tasks log at INFO and DEBUG with plain SLF4J inside the worker JVMs; the parent prints their records through
 * its own logback (src/main/resources/logback.xml), with the worker's pid and thread in the pattern.
 */
@Serializable
class LoggingSumOfSquares(val taskId: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        val logger = LoggerFactory.getLogger(LoggingSumOfSquares::class.java)
        logger.info("task_id: {}", taskId)
        val result = (0 until 3_000_000L).sumOf { it * it }
        logger.debug("task_id: {}, result: {}", taskId, result)
        return "task_id: $taskId, result: $result"
    }
}

/** Runs once in each worker before its first task: the counterpart of Python's `worker_configurer`. */
@Serializable
class DemoWorkerConfigurer(val level: LogLevel) : WorkerConfigurer {
    override fun configure(worker: WorkerLogSettings) {
        worker.setLevel(level)
        LoggerFactory.getLogger("demo.configurer").info("worker {} configured for {}", worker.workerId, level)
    }
}

fun main() = runBlocking {
    val log = LoggerFactory.getLogger("demo")
    log.info("10 tasks on 3 workers; their log records come home")
    val results =
        ProcessPool {
                maxWorkers = 3
                forwardLogs { configurer = DemoWorkerConfigurer(LogLevel.DEBUG) }
            }
            .use { pool -> (0 until 10).map { pool.submit(LoggingSumOfSquares(it)) }.awaitAll() }
    results.forEach(::println)
}
