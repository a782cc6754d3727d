package io.asynccpu.it.hygiene

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** Starts `sleep 300` as a child of the worker, reports both pids, and then sleeps itself. */
@Serializable
class SpawnSleeper(val seconds: Int) : ProcessTask<Unit> {
    override suspend fun run() {
        val child = ProcessBuilder("sleep", "300").start()
        println("SPAWNED worker=${ProcessHandle.current().pid()} child=${child.pid()}")
        System.out.flush()
        delay(TimeUnit.SECONDS.toMillis(seconds.toLong()))
    }
}

/**
 * The parent ProcessHygieneTest signals: two workers each run a [SpawnSleeper] and more tasks queue behind them. Worker
 * lines are forwarded with a `[hygiene` prefix; queued tasks cancelled by the pool's shutdown hook print
 * `QUEUED-CANCELLED`.
 */
fun main(): Unit = runBlocking {
    val pool = ProcessPool {
        maxWorkers = 2
        name = "hygiene"
        workerOutput =
            io.asynccpu.WorkerOutputListener { w, s, line ->
                println("[hygiene ${w.id} pid=${w.pid} ${s.name.lowercase()}] $line")
            }
    }
    val running = (0 until 2).map { pool.submit(SpawnSleeper(300)) }
    val queued = (0 until 3).map { pool.submit(SpawnSleeper(300)) }
    queued.forEach { d ->
        d.invokeOnCompletion { cause -> if (cause is CancellationException) println("QUEUED-CANCELLED") }
    }
    println("PARENT-READY pid=${ProcessHandle.current().pid()}")
    try {
        (running + queued).awaitAll()
    } catch (e: CancellationException) {
        println("PARENT-CANCELLED") // the pool's shutdown hook cancelled them: the JVM is exiting
    }
}
