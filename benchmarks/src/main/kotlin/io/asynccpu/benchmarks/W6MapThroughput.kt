package io.asynccpu.benchmarks

import io.asynccpu.ProcessPool
import io.asynccpu.map
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.fold
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/** W6's per-item function: f(i) = i. */
fun identity(i: Int): Int = i

/**
 * W6: 100,000 items through `ProcessPool.map` with chunking, 2 warm workers; prints items/s for each
 * chunk size beside the same map on Dispatchers.Default in this process (the no-IPC ceiling).
 *
 * Run: ./mvnw -q -pl benchmarks -am -DskipTests package, then
 * java -cp "$(cat benchmarks/target/classpath.txt)" io.asynccpu.benchmarks.W6MapThroughputKt
 * (or any way of putting the benchmarks module and its dependencies on the class path).
 */
fun main(args: Array<String>) = runBlocking {
    val items = args.getOrNull(0)?.toInt() ?: 100_000
    val rounds = args.getOrNull(1)?.toInt() ?: 5
    val inputs = (0 until items).toList()
    val expected = inputs.sumOf { it.toLong() }
    ProcessPool { maxWorkers = 2 }.use { pool ->
        pool.warmUp()
        for (chunk in listOf(100, 1_000, 5_000)) {
            var best = 0.0
            repeat(rounds) {
                val start = System.nanoTime()
                val sum = pool.map(::identity, inputs, chunkSize = chunk).fold(0L) { acc, v -> acc + v }
                val seconds = (System.nanoTime() - start) / 1e9
                check(sum == expected) { "wrong sum $sum" }
                best = maxOf(best, items / seconds)
            }
            println("W6 map, $items items, chunkSize $chunk, 2 workers: best of $rounds = %,.0f items/s".format(best))
        }
    }
    var ceiling = 0.0
    repeat(rounds) {
        val start = System.nanoTime()
        val sum = withContext(Dispatchers.Default) {
            inputs.chunked(1_000).map { c -> async { c.sumOf { identity(it).toLong() } } }.awaitAll().sum()
        }
        check(sum == expected)
        ceiling = maxOf(ceiling, items / ((System.nanoTime() - start) / 1e9))
    }
    println("W6 ceiling, same items on Dispatchers.Default in-process: %,.0f items/s".format(ceiling))
}
