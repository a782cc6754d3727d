package io.asynccpu.samples

import io.asynccpu.hazelcast.ClusterPool
import io.asynccpu.hazelcast.MemberMain
import java.io.File
import java.net.ServerSocket
import kotlin.time.Duration.Companion.seconds
import kotlin.time.measureTimedValue
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking

/**
 * The demo's ten tasks on a cluster: starts two members on this machine (each a `MemberMain` JVM hosting two worker
 * JVMs, on 127.0.0.1), connects a [ClusterPool] to them and runs the ten [SumOfSquares] tasks. On real machines, run
 * `MemberMain` on each of them instead (README, "Scaling out").
 */
fun main() = runBlocking {
    val cluster = "quickstart-${ProcessHandle.current().pid()}"
    val ports = List(2) { ServerSocket(0).use { it.localPort } }
    val addresses = ports.map { "127.0.0.1:$it" }
    val members =
        ports.map { port ->
            ProcessBuilder(
                    File(System.getProperty("java.home"), "bin/java").path,
                    "-Dhazelcast.wait.seconds.before.join=0",
                    "-cp",
                    System.getProperty("java.class.path"),
                    MemberMain::class.java.name,
                    "--cluster",
                    cluster,
                    "--members",
                    addresses.joinToString(","),
                    "--port",
                    "$port",
                    "--workers",
                    "2",
                )
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start()
        }
    try {
        println("started members (pids ${members.map { it.pid() }}) of cluster $cluster at $addresses")
        val (results, elapsed) =
            measureTimedValue {
                ClusterPool {
                        clusterName = cluster
                        this.members += addresses
                        connectTimeout = 60.seconds // the members are still starting
                        forwardLogs = true // worker SLF4J records on the members -> this JVM's logback
                    }
                    .use { pool -> (0 until 10).map { pool.submit(SumOfSquares(it)) }.awaitAll() }
            }
        results.forEach(::println)
        println("all 10 results from the cluster in $elapsed")
    } finally {
        members.forEach { it.destroy() } // SIGTERM: each member leaves the cluster and stops its workers
        members.forEach { it.waitFor() }
    }
}
