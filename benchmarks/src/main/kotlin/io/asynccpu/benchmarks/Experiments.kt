package io.asynccpu.benchmarks

import io.asynccpu.ProcessPool
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * Quick experiments with worker JVM options, for tuning (not part of the benchmark run):
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
                val times =
                    List(12) {
                        val start = System.nanoTime()
                        ProcessPool {
                                name = "exp"
                                jvmArgs += jvm
                            }
                            .use { pool ->
                                check(pool.submit(::identity, 0).await() == 0)
                                (System.nanoTime() - start) / 1e6
                            }
                    }
                println(
                    "w5 $jvm: first ${Figure.format(times[0])} ms, median of the rest ${Figure.format(median(times.drop(1)))} ms ${range(times.drop(1))}"
                )
            }
            "m1" -> {
                ProcessPool {
                        name = "exp"
                        maxWorkers = 1
                        jvmArgs += jvm
                    }
                    .use { pool ->
                        val pid = pool.submit(::workerPid).await()
                        Thread.sleep(2_000)
                        val idle = residentMegabytes(pid)
                        repeat(3) { (0 until 5_000).map { pool.submit(::identity, it) }.awaitAll() }
                        repeat(500) { pool.submit(::identity, it).await() }
                        Thread.sleep(2_000)
                        println(
                            "m1 $jvm: idle ${Figure.format(idle)} MB, after work ${Figure.format(residentMegabytes(pid))} MB"
                        )
                    }
            }
            "w1" -> {
                ProcessPool {
                        name = "exp"
                        maxWorkers = 2
                        startEagerly = true
                        jvmArgs += jvm
                    }
                    .use { pool ->
                        repeat(Integer.getInteger("exp.rounds", 10)) {
                            val start = System.nanoTime()
                            (0 until 20_000).map { pool.submit(::identity, it) }.awaitAll()
                            println("w1 ${Figure.format(20_000 / ((System.nanoTime() - start) / 1e9))} tasks/s")
                        }
                    }
            }
            "hops",
            "hops1" -> {
                // Thread wake-ups per task: voluntary context switches of every thread of this JVM and of the
                // worker over 20,000 sequential calls (hops) or 20,000 gathered calls (hops1).
                ProcessPool {
                        name = "exp"
                        maxWorkers = if (what == "hops") 1 else 2
                        startEagerly = true
                        jvmArgs += jvm
                    }
                    .use { pool ->
                        repeat(8) { (0 until 20_000).map { pool.submit(::identity, it) }.awaitAll() }
                        repeat(2_000) { pool.submit(::identity, it).await() }
                        val pids = listOf(ProcessHandle.current().pid()) + pool.workerReports().map { it.worker.pid }
                        val n = 20_000
                        repeat(3) {
                            val before = pids.associateWith { switches(it) }
                            val start = System.nanoTime()
                            if (what == "hops") {
                                repeat(n) { pool.submit(::identity, it).await() }
                            } else {
                                (0 until n).map { pool.submit(::identity, it) }.awaitAll()
                            }
                            val micros = (System.nanoTime() - start) / 1e3 / n
                            println("$what: ${Figure.format(micros)} us per task")
                            for (pid in pids) {
                                val after = switches(pid)
                                val b = before.getValue(pid)
                                val deltas =
                                    after.mapNotNull { (k, v) ->
                                        val old = b[k] ?: longArrayOf(0, 0)
                                        val cpu = (v[1] - old[1]) / 1e3 / n
                                        (v[0] - old[0])
                                            .takeIf { it > n / 100 || cpu > 0.1 }
                                            ?.let {
                                                k to
                                                    "${Figure.format(it.toDouble() / n)} cs, ${Figure.format(cpu)} us cpu"
                                            }
                                    }
                                println("  pid $pid: " + deltas.joinToString { (k, v) -> "$k $v" })
                            }
                        }
                    }
            }
            "w3" -> {
                ProcessPool {
                        name = "exp"
                        maxWorkers = 2
                        startEagerly = true
                        jvmArgs += jvm
                    }
                    .use { pool ->
                        repeat(10) { (0 until 16).map { pool.submit(::sumOfSquares, 3_000_000L) }.awaitAll() }
                        repeat(10) {
                            val start = System.nanoTime()
                            val runs = (0 until 8).map { pool.submit(::w3Run, 3_000_000L) }.awaitAll()
                            val wall = (System.nanoTime() - start) / 1e6
                            // System.nanoTime is CLOCK_MONOTONIC on Linux: comparable across processes.
                            println(
                                "w3 wall ${Figure.format(wall)} ms: " +
                                    runs.joinToString(" ") {
                                        "${it[0] % 1000}:${Figure.format((it[1] - start) / 1e6)}-${Figure.format((it[2] - start) / 1e6)}"
                                    }
                            )
                        }
                    }
            }
        }
    }
}

/** Voluntary context switches and nanoseconds on a CPU of each thread of [pid], by "tid:name". */
private fun switches(pid: Long): Map<String, LongArray> =
    java.io.File("/proc/$pid/task").listFiles().orEmpty().associate { dir ->
        val name = runCatching { java.io.File(dir, "comm").readText().trim() }.getOrDefault("?")
        val status = runCatching { java.io.File(dir, "status").readLines() }.getOrDefault(emptyList())
        val v =
            status.firstOrNull { it.startsWith("voluntary_ctxt_switches") }?.substringAfter(':')?.trim()?.toLong() ?: 0L
        val cpu =
            runCatching { java.io.File(dir, "schedstat").readText().trim().split(' ')[0].toLong() }.getOrDefault(0L)
        "${dir.name}:$name" to longArrayOf(v, cpu)
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
