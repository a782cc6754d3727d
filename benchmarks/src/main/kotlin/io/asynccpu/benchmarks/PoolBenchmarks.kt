package io.asynccpu.benchmarks

import io.asynccpu.ProcessPool
import io.asynccpu.map
import java.util.concurrent.Executors
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext

/**
 * The pool workloads W1-W6 and M1 (../shared/DESIGN.md), each beside the same workload run in this process on
 * `Dispatchers.Default`. One pool per workload (W5: a fresh pool per measurement), warmed up, then [rounds] timed
 * rounds; figures are medians over rounds.
 *
 * "Warm" means what it means for a JVM: the workers have run enough calls for the JIT to compile the hot path ([warm]);
 * the Python peers' warm-up (100 gathered + 20 sequential calls) would leave a worker JVM interpreting.
 */
class PoolBenchmarks(
    private val rounds: Int,
    private val report: (Figure) -> Unit,
    private val note: (String) -> Unit,
) {

    /** Extra worker JVM options for experiments: `-Dbench.jvmArgs="-XX:+UseSerialGC -Xss512k"`. */
    private val workerJvmArgs: List<String> =
        System.getProperty("bench.jvmArgs", "").split(' ').filter { it.isNotBlank() }

    private fun pool(workers: Int, eager: Boolean = true) = ProcessPool {
        name = "bench"
        maxWorkers = workers
        startEagerly = eager
        jvmArgs += workerJvmArgs
    }

    /**
     * JIT warm-up: 8 gathered batches of 20,000 trivial calls (C2 compiles the caller's and the workers' hot paths
     * after ~100,000 calls; before that W1 runs at a third of its speed), at most [WARM_MILLIS], then 1,000 sequential
     * calls.
     */
    private suspend fun warm(pool: ProcessPool) {
        val deadline = System.nanoTime() + WARM_MILLIS * 1_000_000
        for (batch in 0 until 8) {
            (0 until 20_000).map { pool.submit(::identity, it) }.awaitAll()
            if (System.nanoTime() > deadline) break
        }
        repeat(1_000) { pool.submit(::identity, it).await() }
    }

    private suspend fun warmInProcess() = coroutineScope {
        repeat(8) { (0 until 20_000).map { async(Dispatchers.Default) { identity(it) } }.awaitAll() }
        repeat(1_000) { withContext(Dispatchers.Default) { identity(it) } }
    }

    private inline fun timed(block: () -> Unit): Double {
        val start = System.nanoTime()
        block()
        return (System.nanoTime() - start) / 1e9
    }

    fun w1() = runBlocking {
        val n = 20_000
        // Cold first: the first 20,000 calls of this JVM (in-process) and of a fresh pool whose workers just
        // started (no warm-up: the JIT has compiled nothing of the call path yet on either side).
        val localCold = n / timed { (0 until n).map { async(Dispatchers.Default) { identity(it) } }.awaitAll() }
        val pooledCold =
            pool(2).use { pool ->
                pool.warmUp(2)
                n /
                    timed {
                        val results = (0 until n).map { pool.submit(::identity, it) }.awaitAll()
                        check(results[n - 1] == n - 1)
                    }
            }
        val pooled =
            pool(2).use { pool ->
                warm(pool)
                List(rounds) {
                    n /
                        timed {
                            val results = (0 until n).map { pool.submit(::identity, it) }.awaitAll()
                            check(results[n - 1] == n - 1)
                        }
                }
            }
        warmInProcess()
        val local =
            List(rounds) { n / timed { (0 until n).map { async(Dispatchers.Default) { identity(it) } }.awaitAll() } }
        report(Figure("w1.throughput", median(pooled), "tasks/s", median(local), "warm; pool ${range(pooled)}"))
        report(
            Figure(
                "w1.cold_throughput",
                pooledCold,
                "tasks/s",
                localCold,
                "first 20,000 calls of a fresh pool (workers started) / of this JVM",
            )
        )
        report(Figure("w1.per_task", 1e6 / median(pooled), "us", 1e6 / median(local)))
    }

    fun w2() = runBlocking {
        val n = 2_000
        val pooled =
            pool(1).use { pool ->
                warm(pool)
                List(rounds) {
                    repeat(200) { pool.submit(::identity, it).await() }
                    List(n) { i ->
                        val start = System.nanoTime()
                        pool.submit(::identity, i).await()
                        (System.nanoTime() - start) / 1e3
                    }
                }
            }
        warmInProcess()
        val local =
            List(rounds) {
                List(n) { i ->
                    val start = System.nanoTime()
                    withContext(Dispatchers.Default) { identity(i) }
                    (System.nanoTime() - start) / 1e3
                }
            }
        // The floor: a 1-byte ping-pong with a child JVM, as many round trips, right after.
        val pipe = PipeRoundTrip.measure(rounds, n)
        for (p in listOf(50.0, 99.0)) {
            val a = pooled.map { percentile(it, p) }
            val b = local.map { percentile(it, p) }
            val floor = Figure.Reference("pipe", median(pipe.map { percentile(it, p) }))
            report(
                Figure(
                    "w2.p${p.toInt()}",
                    median(a),
                    "us",
                    median(b),
                    "pool ${range(a)}; floor: 1-byte pipe ping-pong with a child JVM",
                    floor,
                )
            )
        }
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    fun w3() = runBlocking {
        val n = 3_000_000L
        val tasks = 8
        val timedRounds = rounds * 3
        // The serial figure, in the parent.
        repeat(20) { check(sumOfSquares(n) == W3_EXPECTED) }
        val serial = median(List(timedRounds) { timed { repeat(tasks) { check(sumOfSquares(n) == W3_EXPECTED) } } })
        val t1 = ArrayList<Double>()
        val t2 = ArrayList<Double>()
        pool(1).use { one ->
            pool(2).use { two ->
                for (p in listOf(one, two)) {
                    warm(p)
                    repeat(5) { (0 until 2 * tasks).map { p.submit(::sumOfSquares, n) }.awaitAll() }
                }
                // Interleaved, so that a noisy moment hurts both sides alike.
                repeat(timedRounds) {
                    for ((p, into) in listOf(one to t1, two to t2)) {
                        into += timed {
                            val results = (0 until tasks).map { p.submit(::sumOfSquares, n) }.awaitAll()
                            check(results.all { it == W3_EXPECTED }) { "wrong W3 result: $results" }
                        }
                    }
                }
            }
        }
        val l1 = ArrayList<Double>()
        val l2 = ArrayList<Double>()
        val d1 = Dispatchers.Default.limitedParallelism(1)
        val d2 = Dispatchers.Default.limitedParallelism(2)
        repeat(5) { (0 until 2 * tasks).map { async(d2) { sumOfSquares(n) } }.awaitAll() }
        repeat(timedRounds) {
            for ((d, into) in listOf(d1 to l1, d2 to l2)) {
                into += timed {
                    val results = (0 until tasks).map { async(d) { sumOfSquares(n) } }.awaitAll()
                    check(results.all { it == W3_EXPECTED })
                }
            }
        }
        val speedups = t1.indices.map { t1[it] / t2[it] }
        val localSpeedups = l1.indices.map { l1[it] / l2[it] }
        report(
            Figure(
                "w3.speedup_2v1",
                median(t1) / median(t2),
                "x",
                median(l1) / median(l2),
                "per-round pool ${range(speedups)}, in-process ${range(localSpeedups)}",
            )
        )
        report(
            Figure("w3.wall_1_worker", median(t1) * 1e3, "ms", median(l1) * 1e3, "in-process: limitedParallelism(1)")
        )
        report(
            Figure("w3.wall_2_workers", median(t2) * 1e3, "ms", median(l2) * 1e3, "in-process: limitedParallelism(2)")
        )
        report(Figure("w3.serial_in_parent", serial * 1e3, "ms", null, "8 calls on the caller's thread"))
    }

    fun w4() = runBlocking {
        val size = 16 shl 20
        val calls = 20
        val data = payload(size)
        val send = ArrayList<Double>()
        val echo = ArrayList<Double>()
        val direct = ArrayList<Double>()
        pool(2).use { pool ->
            repeat(3) {
                pool.submit(::summarize, data).await()
                pool.submit(::echo, data).await()
                pool.submit(::heldPayload, size shr 20).await()
            }
            repeat(rounds.coerceAtMost(3)) {
                send += timed {
                    repeat(calls) {
                        val s = pool.submit(::summarize, data).await()
                        check(s.size == size && s.first == 0.toByte() && s.last == 255.toByte())
                    }
                }
                echo += timed {
                    repeat(calls) {
                        val back = pool.submit(::echo, data).await()
                        check(back.size == size && back[size - 1] == 255.toByte())
                    }
                }
                direct += timed {
                    repeat(calls) { check(pool.submit(::heldPayload, size shr 20).await().size == size) }
                }
            }
        }
        // The no-IPC ceiling: one copy of the payload per direction, on Dispatchers.Default.
        repeat(5) { withContext(Dispatchers.Default) { data.copyOf() } }
        val copy =
            median(List(rounds) { timed { repeat(calls) { withContext(Dispatchers.Default) { data.copyOf() } } } })
        val mb = calls * size / 1e6
        val copyRate = mb / copy
        report(
            Figure(
                "w4.to_child",
                mb / median(send),
                "MB/s",
                copyRate,
                "summarize(bytes); in-process: one copyOf per call",
            )
        )
        report(Figure("w4.echo_round_trip", 2 * mb / median(echo), "MB/s", copyRate, "2 x 16 MiB per call"))
        report(
            Figure(
                "w4.to_parent_derived",
                mb / (median(echo) - median(send)),
                "MB/s",
                copyRate,
                "16 MiB / (t_echo - t_send)",
            )
        )
        report(
            Figure("w4.to_parent_direct", mb / median(direct), "MB/s", copyRate, "worker returns a payload it holds")
        )
        report(Figure("w4.echo_ms_per_call", median(echo) * 1e3 / calls, "ms", copy * 1e3 / calls))
    }

    fun w5() = runBlocking {
        val first = firstResult()
        val pooled = List(rounds.coerceAtMost(3)) { median(List(10) { firstResult() * 1e3 }) }
        val local =
            List(rounds.coerceAtMost(3)) {
                median(
                    List(10) {
                        val executor = Executors.newFixedThreadPool(2)
                        val t = timed { runBlocking { withContext(executor.asCoroutineDispatcher()) { identity(0) } } }
                        executor.shutdown()
                        t * 1e3
                    }
                )
            }
        report(
            Figure(
                "w5.first_result",
                median(pooled),
                "ms",
                median(local),
                "median of 10 fresh pools; pool ${range(pooled)}; in-process: new 2-thread dispatcher",
            )
        )
        report(Figure("w5.first_pool_of_run", first * 1e3, "ms", null, "the run's first pool (cold caller)"))
    }

    /**
     * W5: seconds from creating a pool to the first result of f(0). Closing the pool (waiting for its worker to exit)
     * is not timed, as in the Python peer (`pool.shutdown` after the clock stops).
     */
    private fun firstResult(): Double {
        var pool: ProcessPool? = null
        try {
            return timed {
                runBlocking {
                    pool = ProcessPool {
                        name = "bench-w5"
                        jvmArgs += workerJvmArgs
                    }
                    check(pool!!.submit(::identity, 0).await() == 0)
                }
            }
        } finally {
            pool?.close()
        }
    }

    fun w6() = runBlocking {
        val items = 100_000
        val chunkSize = 1_000
        fun chunks() = (0 until items step chunkSize).map { start -> IntArray(chunkSize) { start + it } }
        fun check(parts: List<IntArray>) {
            var i = 0
            for (part in parts) for (v in part) check(v == 2 * i++)
            check(i == items)
        }
        val inputs = (0 until items).toList()
        fun checkMapped(values: List<Int>) {
            check(values.size == items)
            values.forEachIndexed { i, v -> check(v == 2 * i) }
        }
        val pooled =
            pool(2).use { pool ->
                warm(pool)
                repeat(20) { checkMapped(pool.map(::double, inputs, chunkSize = chunkSize).toList()) }
                List(rounds) {
                    items / timed { checkMapped(pool.map(::double, inputs, chunkSize = chunkSize).toList()) }
                }
            }
        repeat(20) { check(chunks().map { async(Dispatchers.Default) { doubleChunk(it) } }.awaitAll()) }
        val local =
            List(rounds) {
                items / timed { check(chunks().map { async(Dispatchers.Default) { doubleChunk(it) } }.awaitAll()) }
            }
        report(
            Figure(
                "w6.map",
                median(pooled),
                "items/s",
                median(local),
                "pool.map(::double, 100,000 items, chunkSize 1,000), ordered; pool ${range(pooled)}",
            )
        )
    }

    fun m1() = runBlocking {
        val idle = ArrayList<Double>()
        val afterWork = ArrayList<Double>()
        repeat(rounds.coerceAtMost(3)) {
            ProcessPool {
                    name = "bench-m1"
                    maxWorkers = 1
                    jvmArgs += workerJvmArgs
                }
                .use { pool ->
                    val pid = pool.submit(::workerPid).await()
                    Thread.sleep(IDLE_MILLIS)
                    idle += residentMegabytes(pid)
                    warm(pool)
                    Thread.sleep(IDLE_MILLIS)
                    afterWork += residentMegabytes(pid)
                }
        }
        val bare = List(rounds.coerceAtMost(3)) { bareJvmResident() }
        report(
            Figure(
                "m1.idle_worker_rss",
                median(idle),
                "MB",
                median(bare),
                "default settings, after its first task; in-process column: a bare JVM sleeping",
            )
        )
        report(
            Figure(
                "m1.idle_after_work_rss",
                median(afterWork),
                "MB",
                median(bare),
                "idle again after its warm-up (161,000 calls)",
            )
        )
    }

    /** A plain `java -cp <ours> IdleJvm`, for scale. */
    private fun bareJvmResident(): Double {
        val java = ProcessHandle.current().info().command().orElse("java")
        val process =
            ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.asynccpu.benchmarks.IdleJvm")
                .redirectErrorStream(true)
                .start()
        try {
            process.inputStream.bufferedReader().readLine()
            Thread.sleep(IDLE_MILLIS)
            return residentMegabytes(process.pid())
        } finally {
            process.destroyForcibly().waitFor()
        }
    }

    private companion object {
        const val WARM_MILLIS = 10_000L
        const val IDLE_MILLIS = 2_000L
    }
}

/** M1's reference point: a JVM that does nothing. */
object IdleJvm {
    @JvmStatic
    fun main(args: Array<String>) {
        println("ready")
        Thread.sleep(60_000)
    }
}
