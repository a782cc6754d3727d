package consumer

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.submit
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

@Serializable
class Cube(val n: Long) : ProcessTask<Long> {
    override suspend fun run(): Long = n * n * n
}

suspend fun twice(n: Int): Int = 2 * n

fun main() = runBlocking {
    ProcessPool { maxWorkers = 1 }
        .use { pool ->
            pool.test()
            val cubes = (1L..3L).map { pool.submit(Cube(it)) }.awaitAll()
            val doubled = pool.submit(::twice, 21).await()
            println("KOTLIN21-OK ${cubes.sum()} $doubled ${KotlinVersion.CURRENT}")
        }
}
