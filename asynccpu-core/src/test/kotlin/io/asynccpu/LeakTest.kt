package io.asynccpu

import io.kotest.core.NamedTag
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.io.File
import kotlin.time.Duration.Companion.minutes
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withContext

/**
 * What a pool can leak: the library's own threads (named `asynccpu-…`), all other threads except the JDK's and
 * kotlinx-coroutines' shared pools (process reapers, ForkJoin and dispatcher workers start lazily and idle out on their
 * own schedule), open file descriptors, and child processes.
 */
data class ResourceCount(val libraryThreads: List<String>, val otherThreads: Int, val fds: Int, val children: Int) {
    fun withinBaseline(base: ResourceCount): Boolean =
        libraryThreads.size <= base.libraryThreads.size &&
            otherThreads <= base.otherThreads &&
            fds <= base.fds &&
            children <= base.children

    companion object {
        private val sharedPools =
            listOf("process reaper", "ForkJoinPool", "DefaultDispatcher-worker", "kotlinx.coroutines.DefaultExecutor")

        fun now(): ResourceCount {
            val threads = Thread.getAllStackTraces().keys.filter { it.isAlive }.map { it.name }
            return ResourceCount(
                libraryThreads = threads.filter { it.startsWith("asynccpu") }.sorted(),
                otherThreads =
                    threads.count { name -> !name.startsWith("asynccpu") && sharedPools.none { name.startsWith(it) } },
                fds = File("/proc/self/fd").list()!!.size,
                children = ProcessHandle.current().children().filter { it.isAlive }.count().toInt(),
            )
        }
    }
}

/** Waits until the resources are back within [base] (teardown threads end asynchronously); fails with both counts. */
suspend fun shouldReturnTo(base: ResourceCount) {
    var last = ResourceCount.now()
    try {
        eventually(30_000) { ResourceCount.now().also { last = it }.withinBaseline(base) }
    } catch (e: Throwable) {
        throw AssertionError("resources did not return to the baseline:\n  before: $base\n  after:  $last", e)
    }
}

suspend fun openAndClosePools(count: Int) {
    repeat(count) { i ->
        val pool = ProcessPool {
            name = "leak-$i"
            maxWorkers = 1
        }
        pool.run(SumOfSquares(4)) shouldBe 14L
        withContext(Dispatchers.IO) { pool.close() }
    }
}

suspend fun smallTasksThroughOnePool(total: Int, batch: Int) {
    val pool = ProcessPool {
        name = "leak-tasks"
        maxWorkers = 2
        startEagerly = true
    }
    // Both workers started and warm before the first measurement.
    (0 until 2_000).map { pool.submit(SumOfSquares(3)) }.awaitAll()
    val warm = ResourceCount.now()
    var done = 0
    while (done < total) {
        val n = minOf(batch, total - done)
        val results = (0 until n).map { pool.submit(SumOfSquares(3)) }.awaitAll()
        results.all { it == 5L } shouldBe true
        done += n
    }
    // While the pool runs: no per-task growth.
    shouldReturnTo(warm)
    withContext(Dispatchers.IO) { pool.close() }
}

/** Warm-up: one pool opened and closed, so that lazily started JVM and library threads exist before measuring. */
suspend fun baselineAfterWarmUp(): ResourceCount {
    openAndClosePools(1)
    eventually(30_000) { workerProcesses().isEmpty() }
    return ResourceCount.now()
}

class LeakTest :
    FunSpec({
        test("pools opened and closed in one JVM leave threads, file descriptors and child processes as they were") {
            val base = baselineAfterWarmUp()
            openAndClosePools(10)
            shouldReturnTo(base)
        }

        test("20,000 small tasks through one pool leave threads, file descriptors and child processes as they were") {
            val base = baselineAfterWarmUp()
            smallTasksThroughOnePool(20_000, 5_000)
            shouldReturnTo(base)
        }
    })

/** Issue 7, test 7, at full size. Profile `stress`. */
class LeakStressTest :
    FunSpec({
        tags(NamedTag("Stress"))

        test("200 pools opened and closed in one JVM leave threads, file descriptors and child processes as they were")
            .config(timeout = 30.minutes) {
                val base = baselineAfterWarmUp()
                openAndClosePools(200)
                shouldReturnTo(base)
            }

        test("1,000,000 small tasks through one pool leave threads, file descriptors and child processes as they were")
            .config(timeout = 30.minutes) {
                val base = baselineAfterWarmUp()
                smallTasksThroughOnePool(1_000_000, 20_000)
                shouldReturnTo(base)
            }
    })
