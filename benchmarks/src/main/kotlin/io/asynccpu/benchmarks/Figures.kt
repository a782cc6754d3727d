package io.asynccpu.benchmarks

import java.io.File
import java.util.Locale

/**
 * One printed figure: the pool's [value] beside the same workload in-process on `Dispatchers.Default` ([inProcess], the
 * no-IPC ceiling), and, filled in by the harness once the workload ran, the Python peer's figure for it ([python], same
 * window), a physical floor measured in the same run ([floor], such as the pipe's ping-pong time under W2) and the CPU
 * other processes used meanwhile ([foreign], in cores). Every ratio is pool / reference.
 */
class Figure(
    val name: String,
    val value: Double,
    val unit: String,
    val inProcess: Double?,
    val note: String = "",
    val floor: Reference? = null,
) {
    var python: Double? = null
    var foreign: Double? = null

    /** A reference figure measured in the same run, such as `pipe 12.3 us`. */
    class Reference(val label: String, val value: Double)

    val ratio: Double?
        get() = ratio(inProcess)

    val pythonRatio: Double?
        get() = ratio(python)

    val floorRatio: Double?
        get() = ratio(floor?.value)

    private fun ratio(reference: Double?): Double? = reference?.takeIf { it != 0.0 }?.let { value / it }

    fun line(): String =
        String.format(
                Locale.ROOT,
                "%-24s %10s %-8s %10s %7s %10s %7s %16s %7s %7s  %s",
                name,
                format(value),
                unit,
                inProcess?.let(::format) ?: "-",
                ratio?.let(::formatRatio) ?: "-",
                python?.let(::format) ?: "-",
                pythonRatio?.let(::formatRatio) ?: "-",
                floor?.let { "${it.label} ${format(it.value)}" } ?: "-",
                floorRatio?.let(::formatRatio) ?: "-",
                foreign?.let { String.format(Locale.ROOT, "%.2f", it) } ?: "-",
                note,
            )
            .trimEnd()

    /** The same figure as a row of a Markdown table (see [TABLE_HEADER]). */
    fun markdownRow(): String =
        listOf(
                name,
                "${format(value)} $unit",
                inProcess?.let(::format) ?: "-",
                ratio?.let(::formatRatio) ?: "-",
                python?.let(::format) ?: "-",
                pythonRatio?.let(::formatRatio) ?: "-",
                floor?.let { "${it.label} ${format(it.value)}" } ?: "-",
                floorRatio?.let(::formatRatio) ?: "-",
                foreign?.let { String.format(Locale.ROOT, "%.2f", it) } ?: "-",
            )
            .joinToString(" | ", "| ", " |")

    companion object {
        const val HEADER: String =
            "# name                        value unit     in-process  ratio     python  ratio            floor  ratio foreign  notes"

        const val TABLE_HEADER: String =
            "| figure | pool | in-process | pool/in-process | Python | pool/Python | floor | pool/floor | foreign cores |\n" +
                "|---|---|---|---|---|---|---|---|---|"

        fun format(v: Double): String =
            when {
                v >= 100 -> String.format(Locale.ROOT, "%.0f", v)
                v >= 10 -> String.format(Locale.ROOT, "%.1f", v)
                else -> String.format(Locale.ROOT, "%.3f", v)
            }

        fun formatRatio(v: Double): String = String.format(Locale.ROOT, if (v >= 10) "%.1f" else "%.3f", v)
    }
}

fun median(values: List<Double>): Double {
    require(values.isNotEmpty())
    val s = values.sorted()
    return if (s.size % 2 == 1) s[s.size / 2] else (s[s.size / 2 - 1] + s[s.size / 2]) / 2
}

/** Nearest-rank percentile (as the Python peers compute it). */
fun percentile(values: List<Double>, p: Double): Double {
    val s = values.sorted()
    val rank = kotlin.math.ceil(p / 100.0 * s.size).toInt().coerceIn(1, s.size)
    return s[rank - 1]
}

fun range(values: List<Double>): String = "[${Figure.format(values.min())}..${Figure.format(values.max())}]"

/**
 * How busy the machine was while a workload ran: the load average, and the CPU used by other processes ("foreign"
 * cores: everything busy on the machine minus this JVM and its workers).
 */
class Conditions
private constructor(private val wallNanos: Long, private val busyTicks: Long, private val ownTicks: Map<Long, Long>) {
    /** "load 0.52, foreign 0.08 cores, ours 1.71 cores" for the interval since this snapshot. */
    fun since(): String {
        val (foreign, ours) = cores()
        return String.format(Locale.ROOT, "load %s, foreign %.2f cores, ours %.2f cores", loadAverage(), foreign, ours)
    }

    /** CPU used by other processes since this snapshot, in cores. */
    fun foreignCores(): Double = cores().first

    /**
     * (foreign, ours) in cores since this snapshot. Ours is this JVM, its children reaped meanwhile (their time moved
     * into this JVM's cutime and cstime) and its live descendants.
     */
    private fun cores(): Pair<Double, Double> {
        val now = take()
        val seconds = (now.wallNanos - wallNanos) / 1e9
        val busy = (now.busyTicks - busyTicks) / TICKS / seconds
        val ours = (now.ownTicks.values.sum() - ownTicks.values.sum()).coerceAtLeast(0) / TICKS / seconds
        return (busy - ours).coerceAtLeast(0.0) to ours
    }

    companion object {
        private const val TICKS = 100.0 // USER_HZ on Linux

        fun take(): Conditions {
            val fields =
                File("/proc/stat").useLines { it.first() }.trim().split(Regex("\\s+")).drop(1).map { it.toLong() }
            // user nice system idle iowait irq softirq steal
            val busy = fields[0] + fields[1] + fields[2] + fields[5] + fields[6] + fields.getOrElse(7) { 0 }
            val own = HashMap<Long, Long>()
            val self = ProcessHandle.current()
            (sequenceOf(self) + self.descendants().iterator().asSequence()).forEach { p ->
                processTicks(p.pid())?.let { own[p.pid()] = it }
            }
            return Conditions(System.nanoTime(), busy, own)
        }

        fun loadAverage(): String =
            runCatching { File("/proc/loadavg").readText().split(" ").take(3).joinToString(" ") }.getOrDefault("?")

        private fun processTicks(pid: Long): Long? =
            runCatching {
                    val stat = File("/proc/$pid/stat").readText()
                    val f = stat.substring(stat.lastIndexOf(')') + 2).split(' ')
                    f[11].toLong() + f[12].toLong() + f[13].toLong() + f[14].toLong()
                }
                .getOrNull()
    }
}

/** Resident set size of [pid] in MB (10^6 bytes), from /proc. */
fun residentMegabytes(pid: Long): Double {
    val line = File("/proc/$pid/status").readLines().first { it.startsWith("VmRSS:") }
    return line.substringAfter(':').trim().removeSuffix("kB").trim().toLong() * 1024 / 1e6
}
