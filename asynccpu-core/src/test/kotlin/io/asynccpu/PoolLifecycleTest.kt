package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import java.nio.file.Paths
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withContext

class PoolLifecycleTest :
    FunSpec({
        test("close waits for running and queued tasks, then stops every worker") {
            val pool = ProcessPool { maxWorkers = 2 }
            val deferreds = (0 until 6).map { pool.submit(SleepTask(200)) }
            val pids = listOf(pool.submit(PidTask()), pool.submit(PidTask()))
            withContext(Dispatchers.IO) { pool.close() }
            deferreds.forEach { it.isCompleted shouldBe true }
            deferreds.awaitAll().toSet() shouldBe setOf("slept 200")
            pids.awaitAll().forEach { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) shouldBe false }
        }

        test("a second close() returns only once the first one has stopped every worker") {
            val pool = ProcessPool { maxWorkers = 1 }
            val pid = pool.run(PidTask())
            val running = pool.submit(SleepTask(300))
            val first = async(Dispatchers.IO) { pool.close() }
            eventually(10_000) { runCatching { pool.submit(PidTask()) }.exceptionOrNull() is PoolClosedException }
            withContext(Dispatchers.IO) { pool.close() }
            running.isCompleted shouldBe true
            ProcessHandle.of(pid).map { it.isAlive }.orElse(false) shouldBe false
            first.await()
        }

        test("cancelPendingOnClose cancels queued and running tasks") {
            val pool = ProcessPool {
                maxWorkers = 1
                cancelPendingOnClose = true
            }
            val pid = pool.run(PidTask())
            val deferreds = (0 until 4).map { pool.submit(SleepTask(60_000)) }
            withContext(Dispatchers.IO) { pool.close() }
            deferreds.forEach { d -> shouldThrow<CancellationException> { d.await() } }
            ProcessHandle.of(pid).map { it.isAlive }.orElse(false) shouldBe false
        }

        test("no orphans: SIGKILL of the parent JVM mid-task makes every worker exit within 5 s") {
            val (parent, workers) = startParent("wait")
            parent.destroyForcibly()
            parent.waitFor(10, TimeUnit.SECONDS) shouldBe true
            eventually(5_000) { workers.none { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) } }
        }

        test("no orphans: a parent that exits without closing the pool stops its workers (shutdown hook)") {
            val (parent, workers) = startParent("exit")
            parent.waitFor(30, TimeUnit.SECONDS) shouldBe true
            eventually(5_000) { workers.none { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) } }
        }

        test("no orphans: SIGTERM of the parent JVM stops its workers") {
            val (parent, workers) = startParent("wait")
            parent.destroy()
            parent.waitFor(10, TimeUnit.SECONDS) shouldBe true
            eventually(5_000) { workers.none { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) } }
        }
    })

/** Starts [OrphanParentMain] in a new JVM and returns it with its workers' pids once they run. */
private fun startParent(mode: String): Pair<Process, List<Long>> {
    val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString()
    val process =
        ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.asynccpu.OrphanParentMainKt", mode)
            .redirectErrorStream(true)
            .start()
    val reader = process.inputStream.bufferedReader()
    val pids = mutableListOf<Long>()
    while (true) {
        val line = reader.readLine() ?: error("parent exited early; pids so far $pids")
        if (line.startsWith("worker ")) pids += line.removePrefix("worker ").toLong()
        if (line == "ready") break
    }
    Thread { reader.forEachLine {} }.apply { isDaemon = true }.start()
    pids shouldHaveSize 2
    return process to pids
}
