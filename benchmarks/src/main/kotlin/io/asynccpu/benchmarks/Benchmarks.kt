package io.asynccpu.benchmarks

import java.io.File
import java.time.Instant

/**
 * Runs the benchmarks and prints one line per figure: the pool's value, the same workload in-process on
 * `Dispatchers.Default` (the no-IPC ceiling), the Python peer's figure and a physical floor when there is one, each
 * with the ratio pool / reference, and the CPU other processes used meanwhile. Then the issue-10 targets, checked on
 * this run's figures, and the whole table in Markdown.
 *
 * System properties: `bench.only` (comma-separated: W1..W6, M1, CODEC, CLUSTER; default all but CLUSTER),
 * `bench.rounds` (timed rounds per workload; default 5), `bench.python` (`true`: run the Python peer right after each
 * workload), `bench.python.runs` (default 1) and `bench.root` (the project's root directory).
 */
fun main() {
    val only = System.getProperty("bench.only", "all").uppercase().split(',').map { it.trim() }.toSet()
    val rounds = System.getProperty("bench.rounds", "5").toInt()
    fun selected(id: String) = "ALL" in only || id in only
    val root = File(System.getProperty("bench.root", ".")).canonicalFile
    val commit =
        runCatching {
                ProcessBuilder("git", "-C", root.path, "describe", "--always", "--dirty")
                    .start()
                    .inputStream
                    .bufferedReader()
                    .readText()
                    .trim()
            }
            .getOrDefault("?")

    println("# asynccpu benchmarks, ${Instant.now()}, commit $commit")
    println(
        "# java ${Runtime.version()} (${System.getProperty("java.vm.name")}), ${Runtime.getRuntime().availableProcessors()} cpus, rounds $rounds"
    )
    println("# load average before: ${Conditions.loadAverage()}")
    val python = PythonPeer.find(root, Integer.getInteger("bench.python.runs", 1))
    println(Figure.HEADER)
    val notes = ArrayList<String>()
    val current = ArrayList<Figure>()
    val all = ArrayList<Figure>()
    val bench = PoolBenchmarks(rounds, { current += it }) { notes += it }
    val workloads =
        linkedMapOf(
            "W1" to bench::w1,
            "W2" to bench::w2,
            "W3" to bench::w3,
            "W4" to bench::w4,
            "W5" to bench::w5,
            "W6" to bench::w6,
            "M1" to bench::m1,
            "CODEC" to { CodecBench.run { current += it } },
            "CLUSTER" to { ClusterBench(rounds) { current += it }.run() },
        )
    for ((id, run) in workloads) {
        if (!selected(id) || (id == "CLUSTER" && id !in only)) continue // CLUSTER only when named
        current.clear()
        val conditions = Conditions.take()
        try {
            run()
        } catch (e: Exception) {
            println("# $id failed: $e")
            e.printStackTrace()
        }
        val foreign = conditions.foreignCores()
        notes += "$id conditions: ${conditions.since()}"
        current.forEach { it.foreign = foreign }
        if (python != null && id.startsWith("W")) {
            val peerConditions = Conditions.take()
            val metrics = python.run(id)
            python.attach(current, metrics)
            notes += "$id python peer: ${metrics.size} figures; while it ran: ${peerConditions.since()}"
        }
        current.forEach { println(it.line()) }
        all += current
        System.out.flush()
    }
    notes.forEach { println("# $it") }
    println("# load average after: ${Conditions.loadAverage()}")
    val byName = all.associateBy { it.name }
    println()
    println("# targets (issue 10), on this run's figures            measured  verdict")
    Target.ALL.forEach { println("# " + it.line(byName)) }
    println()
    println(Figure.TABLE_HEADER)
    all.forEach { println(it.markdownRow()) }
}
