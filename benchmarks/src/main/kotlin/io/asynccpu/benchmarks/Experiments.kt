package io.asynccpu.benchmarks

import io.asynccpu.ProcessPool

import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * Quick experiments with worker JVM options, for tuning (not part of the benchmark run):
 *
 * ```
 * java -cp <benchmarks class path> io.asynccpu.benchmarks.Experiments w1|w3|w5|m1 [worker JVM options...]
 * ```
 */
object Experiments {
    @JvmStatic
    fun main(args: Array<String>) = runBlocking {
        val what = args[0]
        val jvm = args.drop(1)
        when (what) {
            "w5" -> {
                val times = List(12) {
                    val start = System.nanoTime()
                    ProcessPool { name = "exp"; jvmArgs += jvm }.use { pool ->
                        check(pool.submit(::identity, 0).await() == 0)
                        (System.nanoTime() - start) / 1e6
                    }
                }
                println("w5 $jvm: first ${Figure.format(times[0])} ms, median of the rest ${Figure.format(median(times.drop(1)))} ms ${range(times.drop(1))}")
            }
            "m1" -> {
                ProcessPool { name = "exp"; maxWorkers = 1; jvmArgs += jvm }.use { pool ->
                    val pid = pool.submit(::workerPid).await()
                    Thread.sleep(2_000)
                    val idle = residentMegabytes(pid)
                    repeat(3) { (0 until 5_000).map { pool.submit(::identity, it) }.awaitAll() }
                    repeat(500) { pool.submit(::identity, it).await() }
                    Thread.sleep(2_000)
                    println("m1 $jvm: idle ${Figure.format(idle)} MB, after work ${Figure.format(residentMegabytes(pid))} MB")
                }
            }
            "w1" -> {
                ProcessPool { name = "exp"; maxWorkers = 2; startEagerly = true; jvmArgs += jvm }.use { pool ->
                    repeat(Integer.getInteger("exp.rounds", 10)) {
                        val start = System.nanoTime()
                        (0 until 20_000).map { pool.submit(::identity, it) }.awaitAll()
                        println("w1 ${Figure.format(20_000 / ((System.nanoTime() - start) / 1e9))} tasks/s")
                    }
                }
            }
            "w3" -> {
                ProcessPool { name = "exp"; maxWorkers = 2; startEagerly = true; jvmArgs += jvm }.use { pool ->
                    repeat(10) { (0 until 16).map { pool.submit(::sumOfSquares, 3_000_000L) }.awaitAll() }
                    repeat(10) {
                        val start = System.nanoTime()
                        val runs = (0 until 8).map { pool.submit(::w3Run, 3_000_000L) }.awaitAll()
                        val wall = (System.nanoTime() - start) / 1e6
                        // System.nanoTime is CLOCK_MONOTONIC on Linux: comparable across processes.
                        println(
                            "w3 wall ${Figure.format(wall)} ms: " + runs.joinToString(" ") {
                                "${it[0] % 1000}:${Figure.format((it[1] - start) / 1e6)}-${Figure.format((it[2] - start) / 1e6)}"
                            },
                        )
                    }
                }
            }
        }
    }
}

/** W3 diagnostics: pid, start and end (System.nanoTime) of one sum in a worker. */
fun w3Run(n: Long): LongArray {
    val start = System.nanoTime()
    check(sumOfSquares(n) == W3_EXPECTED)
    return longArrayOf(ProcessHandle.current().pid(), start, System.nanoTime())
}

/** W3 diagnostics: the worker's pid and how long the sum took there. */
fun pidAndNanos(n: Long): Pair<Long, Long> {
    val start = System.nanoTime()
    check(sumOfSquares(n) == W3_EXPECTED)
    return ProcessHandle.current().pid() to System.nanoTime() - start
}
