package io.asynccpu.hazelcast

import io.asynccpu.ProcessPool
import java.io.File
import java.net.ServerSocket
import java.util.UUID
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds

/**
 * Real members for tests: each [MemberProcess] is a `MemberMain` JVM on 127.0.0.1 with its own port; the cluster name
 * is random so concurrent test runs never meet.
 */
class TestCluster(size: Int, private val workers: Int = 2) : AutoCloseable {
    val name: String = "test-" + UUID.randomUUID().toString().take(8)
    val ports: List<Int> = List(size) { freePort() }
    val addresses: List<String>
        get() = ports.map { "127.0.0.1:$it" }

    val members: MutableList<MemberProcess> = ports.map { start(it) }.toMutableList()

    init {
        members.forEach { it.awaitReady() }
    }

    fun start(port: Int): MemberProcess = MemberProcess(name, port, addresses, workers)

    /** Replaces member [i] (after it was killed) with a new JVM on the same port. */
    fun restart(i: Int): MemberProcess =
        start(ports[i]).also {
            members[i] = it
            it.awaitReady()
        }

    fun pool(configure: ClusterPoolBuilder.() -> Unit = {}): ProcessPool = ClusterPool {
        clusterName = this@TestCluster.name
        members += addresses
        connectTimeout = 20.seconds
        memberLossTimeout = 3.seconds
        configure()
    }

    override fun close() {
        members.forEach { it.kill() }
    }

    companion object {
        fun freePort(): Int = ServerSocket(0).use { it.localPort }
    }
}

class MemberProcess(cluster: String, val port: Int, all: List<String>, workers: Int) {
    val log: File = File.createTempFile("asynccpu-member-$port-", ".log")
    val process: Process =
        ProcessBuilder(
                File(System.getProperty("java.home"), "bin/java").path,
                "-Xmx256m",
                "-Dhazelcast.wait.seconds.before.join=0",
                "-Dhazelcast.logging.type=none",
                "-cp",
                System.getProperty("java.class.path"),
                MemberMain::class.java.name,
                "--cluster",
                cluster,
                "--members",
                all.joinToString(","),
                "--port",
                port.toString(),
                "--workers",
                workers.toString(),
                "--jvm-arg",
                "-Xmx128m",
                "--member-loss-timeout",
                "3",
            )
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start()

    val pid: Long
        get() = process.pid()

    fun awaitReady(millis: Long = 90_000) {
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)
        while (!log.readText().contains("ready")) {
            check(process.isAlive) { "member on port $port exited: ${log.readText()}" }
            check(System.nanoTime() < deadline) { "member on port $port not ready: ${log.readText()}" }
            Thread.sleep(50)
        }
    }

    /** SIGKILL: no goodbye to the cluster. Its workers notice and exit on their own. */
    fun kill() {
        val workers = process.descendants().toList()
        process.destroyForcibly()
        process.waitFor(10, TimeUnit.SECONDS)
        workers.forEach { it.onExit().get(15, TimeUnit.SECONDS) }
    }
}

/** Polls [condition] until it holds, failing after [millis]. */
fun eventually(millis: Long = 30_000, condition: () -> Boolean) {
    val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis)
    while (!condition()) {
        check(System.nanoTime() < deadline) { "condition not met within $millis ms" }
        Thread.sleep(20)
    }
}

/** Live processes started (directly or not) by this test JVM. */
fun liveDescendants(): List<ProcessHandle> = ProcessHandle.current().descendants().filter { it.isAlive }.toList()
