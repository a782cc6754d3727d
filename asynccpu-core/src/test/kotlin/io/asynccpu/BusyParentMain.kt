package io.asynccpu

import java.util.concurrent.CountDownLatch
import kotlinx.coroutines.runBlocking

/**
 * A parent program for [ParentDeathTest], run in its own JVM: a pool of two workers, each running a task that started a
 * `sleep 600` grandchild, with more tasks queued behind them. Prints `worker <pid>` and `grandchild <pid>` for each,
 * then `ready`, then waits to be killed.
 */
fun main() = runBlocking {
    val grandchildren = CountDownLatch(2)
    val pool = ProcessPool {
        maxWorkers = 2
        startEagerly = true
        workerOutput = WorkerOutputListener { _, _, line ->
            if (line.startsWith("grandchild ")) {
                println(line)
                grandchildren.countDown()
            }
        }
    }
    val pids = listOf(pool.submit(PidTask()), pool.submit(PidTask())).map { it.await() }.toSet()
    repeat(2) { pool.submit(SpawnSleepTask(600_000)) }
    repeat(4) { pool.submit(StubbornTask(600_000)) }
    grandchildren.await()
    pids.forEach { println("worker $it") }
    println("ready")
    System.out.flush()
    Thread.sleep(600_000)
}
