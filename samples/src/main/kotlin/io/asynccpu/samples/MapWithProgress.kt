package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.map
import io.asynccpu.reportProgress
import kotlinx.coroutines.flow.withIndex
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** The function map applies in the workers, element by element: a top-level function. */
fun collatzSteps(start: Long): Int {
    var n = start
    var steps = 0
    while (n != 1L) {
        n = if (n % 2 == 0L) n / 2 else 3 * n + 1
        steps++
    }
    return steps
}

/** One long task that reports its own progress. */
@Serializable
class LongestCollatz(val limit: Long) : ProcessTask<Long> {
    override suspend fun run(): Long {
        var best = 1L
        var bestSteps = 0
        for (i in 1..limit) {
            val s = collatzSteps(i)
            if (s > bestSteps) {
                best = i
                bestSteps = s
            }
            if (i % (limit / 20) == 0L) reportProgress(i.toDouble() / limit, "checked $i")
        }
        return best
    }
}

private fun bar(fraction: Double, label: String) {
    val width = 40
    val filled = (fraction * width).toInt().coerceIn(0, width)
    print(
        "\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] %3d%% %s".format((fraction * 100).toInt(), label)
    )
}

/**
 * A progress bar over a long map (200,000 inputs, 2,000 per chunk, the bar advancing as ordered results arrive), then
 * one long task that reports its own progress with reportProgress.
 */
fun main() = runBlocking {
    ProcessPool { maxWorkers = 2 }
        .use { pool ->
            val total = 200_000
            var longest = 0
            pool.map(::collatzSteps, (1L..total).asSequence(), chunkSize = 2_000).withIndex().collect { (i, steps) ->
                longest = maxOf(longest, steps)
                if ((i + 1) % 10_000 == 0) bar((i + 1).toDouble() / total, "${i + 1} of $total")
            }
            println("\nmap: the longest Collatz chain below $total has $longest steps")

            val tracked = pool.submitWithProgress(LongestCollatz(2_000_000))
            launch { tracked.progress.collect { bar(it.value, it.message) } }
            val best = tracked.result.await()
            println("\ntask: $best has the longest chain below 2,000,000")
        }
}
