package io.asynccpu.benchmarks

import io.asynccpu.ProcessPool
import io.asynccpu.hazelcast.ClusterPool
import io.asynccpu.hazelcast.MemberMain
import io.asynccpu.submit
import java.io.File
import java.net.ServerSocket
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * The cost of the cluster hop (issue 13): W1 (20,000 `f(i) = i` gathered) and W2 (2,000 sequential awaits) through a
 * local pool of 2 workers, a 1-member and a 3-member loopback cluster (each member a `MemberMain` JVM with 2 workers),
 * in the same run. The "in-process" column holds the local pool's figure here, so the ratio is cluster / local;
 * `w2.*.added` lines give the added latency.
 */
class ClusterBench(private val rounds: Int, private val report: (Figure) -> Unit) {
    fun run() {
        val local =
            ProcessPool {
                    name = "bench"
                    maxWorkers = 2
                    startEagerly = true
                }
                .use { measure(it) }
        for (size in listOf(1, 3)) {
            val members = startMembers(size)
            try {
                val cluster =
                    ClusterPool {
                            clusterName = members.first
                            this.members += members.second
                            connectTimeout = 120.seconds
                        }
                        .use { pool ->
                            val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2)
                            while (pool.stats().workers < size) { // all members joined
                                check(System.nanoTime() < deadline) {
                                    "only ${pool.stats().workers} of $size members joined"
                                }
                                Thread.sleep(100)
                            }
                            measure(pool)
                        }
                val tag = "cluster$size"
                report(
                    Figure(
                        "$tag.w1.throughput",
                        cluster.w1,
                        "tasks/s",
                        local.w1,
                        "local pool column; $size member(s) x 2 workers, loopback",
                    )
                )
                report(Figure("$tag.w2.p50", cluster.p50, "us", local.p50, "local pool column"))
                report(Figure("$tag.w2.p99", cluster.p99, "us", local.p99, "local pool column"))
                report(Figure("$tag.w2.p50.added", cluster.p50 - local.p50, "us", null, "cluster p50 - local pool p50"))
            } finally {
                members.third.forEach { it.destroy() }
                members.third.forEach { it.waitFor(30, TimeUnit.SECONDS) }
            }
        }
    }

    private class Result(val w1: Double, val p50: Double, val p99: Double)

    private fun measure(pool: ProcessPool): Result = runBlocking {
        val n = 20_000
        repeat(8) { (0 until n).map { pool.submit(::identity, it) }.awaitAll() } // JIT warm-up, both sides
        repeat(1_000) { pool.submit(::identity, it).await() }
        val w1 =
            List(rounds) {
                val start = System.nanoTime()
                val results = (0 until n).map { pool.submit(::identity, it) }.awaitAll()
                check(results[n - 1] == n - 1)
                n / ((System.nanoTime() - start) / 1e9)
            }
        val latencies =
            List(rounds) {
                List(2_000) { i ->
                    val start = System.nanoTime()
                    pool.submit(::identity, i).await()
                    (System.nanoTime() - start) / 1e3
                }
            }
        Result(
            median(w1),
            median(latencies.map { percentile(it, 50.0) }),
            median(latencies.map { percentile(it, 99.0) }),
        )
    }

    /** Starts [size] members on 127.0.0.1; returns the cluster name, the addresses and the processes. */
    private fun startMembers(size: Int): Triple<String, List<String>, List<Process>> {
        val name = "bench-" + ProcessHandle.current().pid() + "-" + size
        val ports = List(size) { ServerSocket(0).use { it.localPort } }
        val addresses = ports.map { "127.0.0.1:$it" }
        val processes =
            ports.map { port ->
                ProcessBuilder(
                        File(System.getProperty("java.home"), "bin/java").path,
                        "-Dhazelcast.wait.seconds.before.join=0",
                        "-Dhazelcast.logging.type=none",
                        "-cp",
                        System.getProperty("java.class.path"),
                        MemberMain::class.java.name,
                        "--cluster",
                        name,
                        "--members",
                        addresses.joinToString(","),
                        "--port",
                        "$port",
                        "--workers",
                        "2",
                        "--no-forward-logs",
                    )
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
            }
        return Triple(name, addresses, processes)
    }
}
