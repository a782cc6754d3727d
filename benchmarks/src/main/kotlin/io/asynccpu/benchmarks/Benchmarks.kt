package io.asynccpu.benchmarks

import java.time.Instant

/**
 * Runs the benchmarks and prints one line per figure: `name value unit`, then the same workload
 * in-process on `Dispatchers.Default` (the no-IPC ceiling) and the ratio pool / in-process.
 *
 * System properties: `bench.only` (comma-separated: W1..W6, M1, CODEC; default all) and
 * `bench.rounds` (timed rounds per workload; default 5).
 */
fun main() {
    val only = System.getProperty("bench.only", "all").uppercase().split(',').map { it.trim() }.toSet()
    val rounds = System.getProperty("bench.rounds", "5").toInt()
    fun selected(id: String) = "ALL" in only || id in only

    println("# asynccpu benchmarks, ${Instant.now()}")
    println("# java ${Runtime.version()} (${System.getProperty("java.vm.name")}), ${Runtime.getRuntime().availableProcessors()} cpus, rounds $rounds")
    println("# load average before: ${Conditions.loadAverage()}")
    println(Figure.HEADER)
    val notes = ArrayList<String>()
    val report = { f: Figure -> println(f.line()) }
    val bench = PoolBenchmarks(rounds, report) { notes += it }
    val workloads = linkedMapOf(
        "W1" to bench::w1,
        "W2" to bench::w2,
        "W3" to bench::w3,
        "W4" to bench::w4,
        "W5" to bench::w5,
        "W6" to bench::w6,
        "M1" to bench::m1,
        "CODEC" to { CodecBench.run(report) },
    )
    for ((id, run) in workloads) {
        if (!selected(id)) continue
        try {
            run()
        } catch (e: Exception) {
            println("# $id failed: $e")
            e.printStackTrace()
        }
        System.out.flush()
    }
    notes.forEach { println("# $it") }
    println("# load average after: ${Conditions.loadAverage()}")
}
