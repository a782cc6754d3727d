package io.asynccpu

import kotlinx.coroutines.runBlocking

/**
 * A parent program for the no-orphan tests, run in its own JVM by [PoolLifecycleTest]: starts a pool with two busy
 * workers, prints `worker <pid>` for each, then either waits to be killed (`wait`) or returns from main without closing
 * the pool (`exit`).
 */
fun main(args: Array<String>) = runBlocking {
    val pool = ProcessPool {
        maxWorkers = 2
        startEagerly = true
    }
    val pids = listOf(pool.submit(PidTask()), pool.submit(PidTask())).map { it.await() }.toSet()
    repeat(4) { pool.submit(StubbornTask(120_000)) }
    pids.forEach { println("worker $it") }
    println("ready")
    System.out.flush()
    if (args.firstOrNull() == "wait") Thread.sleep(600_000)
}
