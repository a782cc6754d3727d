package io.asynccpu.benchmarks

import java.util.Locale

/**
 * The targets of issue 10, each checked on figures of the same run: `MET`, `NOT MET`, or `-` when a figure it needs was
 * not measured (workload not selected, no Python peer).
 */
class Target(
    private val text: String,
    private val bound: Double,
    private val atLeast: Boolean,
    private val measure: (Map<String, Figure>) -> Double?,
) {
    fun line(figures: Map<String, Figure>): String {
        val measured = measure(figures)
        val verdict =
            when {
                measured == null -> "-"
                if (atLeast) measured >= bound else measured <= bound -> "MET"
                else -> "NOT MET"
            }
        val shown = measured?.let { String.format(Locale.ROOT, "%.3f", it) } ?: "not measured"
        return String.format(Locale.ROOT, "%-48s %14s  %s", text, shown, verdict)
    }

    companion object {
        private fun Map<String, Figure>.ratio(name: String) = this[name]?.ratio

        private fun Map<String, Figure>.python(name: String) = this[name]?.pythonRatio

        private fun Map<String, Figure>.floor(name: String) = this[name]?.floorRatio

        private fun Map<String, Figure>.value(name: String) = this[name]?.value

        /** W5's bound depends on the JDK: the AOT and CDS features of 19+ and 25 make 60 ms reachable there. */
        private val w5Bound: Double = if (Runtime.version().feature() >= 25) 60.0 else 120.0

        val ALL: List<Target> =
            listOf(
                Target("W1 warm / in-process >= 0.5", 0.5, true) { it.ratio("w1.throughput") },
                Target("W1 warm / Python >= 20", 20.0, true) { it.python("w1.throughput") },
                Target("W1 cold / Python >= 5", 5.0, true) { it.python("w1.cold_throughput") },
                Target("W2 p50 / pipe RTT p50 <= 2", 2.0, false) { it.floor("w2.p50") },
                Target("W2 p99 / pipe RTT p99 <= 4", 4.0, false) { it.floor("w2.p99") },
                Target("W2 p50: Python / pool >= 5", 5.0, true) { f -> f.python("w2.p50")?.let { 1 / it } },
                Target("W3 speedup / in-process speedup >= 0.9", 0.9, true) { it.ratio("w3.speedup_2v1") },
                Target("W4 to_child MB/s >= 1500", 1500.0, true) { it.value("w4.to_child") },
                Target("W4 to_parent_direct MB/s >= 1500", 1500.0, true) { it.value("w4.to_parent_direct") },
                Target(
                    "W5 first result ms <= ${w5Bound.toInt()} (JDK ${Runtime.version().feature()})",
                    w5Bound,
                    false,
                ) {
                    it.value("w5.first_result")
                },
                Target("W6 items/s >= 3,000,000", 3e6, true) { it.value("w6.map") },
                Target("W6 / Python >= 2", 2.0, true) { it.python("w6.map") },
                Target("M1 idle worker MB <= 50", 50.0, false) { it.value("m1.idle_worker_rss") },
            )
    }
}
