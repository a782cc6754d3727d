package io.asynccpu.benchmarks

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * The Python peer (asyncio + `ProcessPoolExecutor`, `../shared/peers/bench_ppe.py` next to the project), run right
 * after each workload so that both see the same machine. Its figures fill the python column of the matching [Figure]s.
 */
class PythonPeer private constructor(private val script: File, private val runs: Int) {

    /** Runs [workload] (W1..W6) in the peer; its median figures by metric (`w1.tasks_per_s`), or empty if it failed. */
    fun run(workload: String): Map<String, Double> {
        val process =
            ProcessBuilder("python3", script.path, "--workloads", workload, "--runs", runs.toString())
                .redirectErrorStream(true)
                .apply {
                    environment()["PEER_QUIET_MAX_WAIT_S"] = "0"
                } // no waiting for a quiet machine: the load is recorded instead
                .start()
        val metrics = HashMap<String, Double>()
        process.inputStream.bufferedReader().forEachLine { line ->
            val match = METRIC.matchEntire(line.trim()) ?: return@forEachLine
            match.groupValues[2].toDoubleOrNull()?.let { metrics[match.groupValues[1]] = it }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) process.destroyForcibly()
        return metrics
    }

    /** Copies the peer's figures into the matching [figures] (W3 walls from s to ms). */
    fun attach(figures: List<Figure>, metrics: Map<String, Double>) {
        for (figure in figures) {
            val (metric, scale) = MAPPING[figure.name] ?: continue
            metrics[metric]?.let { figure.python = it * scale }
        }
    }

    companion object {
        private val METRIC = Regex("""ppe\.[a-z]+\.([A-Za-z0-9_.]+)\.median=([-+0-9.eE]+)(\s.*)?""")

        /** Our figure -> (the peer's metric, scale). */
        private val MAPPING =
            mapOf(
                "w1.throughput" to ("w1.tasks_per_s" to 1.0),
                "w1.cold_throughput" to ("w1.tasks_per_s" to 1.0),
                "w1.per_task" to ("w1.mean_us_per_task" to 1.0),
                "w2.p50" to ("w2.p50_us" to 1.0),
                "w2.p99" to ("w2.p99_us" to 1.0),
                "w3.speedup_2v1" to ("w3.speedup_2v1" to 1.0),
                "w3.wall_1_worker" to ("w3.pool1_s" to 1e3),
                "w3.wall_2_workers" to ("w3.pool2_s" to 1e3),
                "w3.serial_in_parent" to ("w3.serial_parent_s" to 1e3),
                "w4.to_child" to ("w4.to_child_MBps" to 1.0),
                "w4.echo_round_trip" to ("w4.echo_roundtrip_MBps" to 1.0),
                "w4.to_parent_derived" to ("w4.from_child_derived_MBps" to 1.0),
                "w4.to_parent_direct" to ("w4.from_child_direct_MBps" to 1.0),
                "w4.echo_ms_per_call" to ("w4.echo_ms_per_call" to 1.0),
                "w5.first_result" to ("w5.cold_start_median_ms" to 1.0),
                "w6.map" to ("w6.map_thread_tasks_per_s" to 1.0),
            )

        /**
         * The peer, when `-Dbench.python=true`, `python3` runs and the script is found; null otherwise (with the reason
         * printed).
         */
        fun find(root: File, runs: Int): PythonPeer? {
            if (System.getProperty("bench.python", "false") != "true") return null
            val script = File(root, "../shared/peers/bench_ppe.py").canonicalFile
            if (!script.isFile) {
                println("# python peer: $script not found, no python column")
                return null
            }
            val works =
                runCatching {
                        val p = ProcessBuilder("python3", "--version").redirectErrorStream(true).start()
                        p.inputStream.readAllBytes()
                        p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0
                    }
                    .getOrDefault(false)
            if (!works) {
                println("# python peer: python3 is not available, no python column")
                return null
            }
            println("# python peer: $script, --runs $runs, right after each workload")
            return PythonPeer(script, runs)
        }
    }
}
