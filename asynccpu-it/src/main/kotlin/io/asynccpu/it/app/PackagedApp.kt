package io.asynccpu.it.app

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** A task whose class lives in the application's own jar, as a user's would. */
@Serializable
class Square(val n: Long) : ProcessTask<Long> {
    override suspend fun run(): Long = n * n
}

/**
 * The application PackagingTest packages (Spring Boot executable jar, shaded jar, module path) and starts with `java
 * -jar` or `java -p ... -m`: it checks a worker starts, runs a task from its own jar, and prints `PACKAGED-OK <result>`
 * with how the worker was launched.
 */
fun main(): Unit = runBlocking {
    ProcessPool {
            maxWorkers = 1
            name = "packaged"
        }
        .use { pool ->
            pool.test()
            val result = pool.run(Square(12))
            println("PACKAGED-OK $result")
        }
}
