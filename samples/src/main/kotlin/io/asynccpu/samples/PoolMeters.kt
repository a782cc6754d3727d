package io.asynccpu.samples

import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.micrometer.ProcessPoolMetrics
import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.FunctionTimer
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.Serializable

/** Some CPU work; fails for multiples of 7 so the failure counter has something to show. */
@Serializable
class Crunch(val n: Int) : ProcessTask<Long> {
    override suspend fun run(): Long {
        require(n % 7 != 0) { "$n is a multiple of 7" }
        return (0 until 2_000_000L).sumOf { it * it % (n + 1) }
    }
}

/** Runs 30 tasks on 2 workers, then prints the pool's Micrometer meters. */
fun main() = runBlocking {
    val registry = SimpleMeterRegistry()
    ProcessPool {
            name = "crunch"
            maxWorkers = 2
        }
        .use { pool ->
            ProcessPoolMetrics(pool).bindTo(registry)
            (1..30).map { pool.submit(Crunch(it)) }.map { runCatching { it.await() } }.let {}
            println("pool meters after 30 tasks:")
            registry.meters
                .sortedBy { it.id.name + it.id.tags }
                .forEach { meter ->
                    val tags = meter.id.tags.filter { it.key != "name" }.joinToString(",") { "${it.key}=${it.value}" }
                    val value =
                        when (meter) {
                            is Gauge -> "%.0f".format(meter.value())
                            is FunctionCounter -> "%.0f".format(meter.count())
                            is FunctionTimer ->
                                "count %.0f, mean %.2f ms".format(meter.count(), meter.mean(TimeUnit.MILLISECONDS))
                            else -> meter.measure().joinToString()
                        }
                    println("  %-28s %-16s %s".format(meter.id.name, tags, value))
                }
        }
}
