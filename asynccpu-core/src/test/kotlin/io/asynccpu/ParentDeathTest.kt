package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import java.nio.file.Paths
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext

/**
 * Issue 7, test 4: when the parent JVM of a busy pool dies (SIGKILL or SIGTERM), every worker and every process its
 * tasks started are gone within 5 s.
 */
class ParentDeathTest :
    FunSpec({
        data class Family(val parent: Process, val workers: List<Long>, val grandchildren: List<Long>)

        suspend fun startBusyParent(): Family =
            withContext(Dispatchers.IO) {
                val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString()
                val process =
                    ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.asynccpu.BusyParentMainKt")
                        .redirectErrorStream(true)
                        .start()
                val reader = process.inputStream.bufferedReader()
                val workers = mutableListOf<Long>()
                val grandchildren = mutableListOf<Long>()
                while (true) {
                    val line =
                        reader.readLine()
                            ?: error(
                                "the parent exited early; it printed workers $workers, grandchildren $grandchildren"
                            )
                    if (line.startsWith("worker ")) workers += line.removePrefix("worker ").toLong()
                    if (line.startsWith("grandchild ")) grandchildren += line.removePrefix("grandchild ").toLong()
                    if (line == "ready") break
                }
                Thread { reader.forEachLine {} }.apply { isDaemon = true }.start()
                workers shouldHaveSize 2
                grandchildren shouldHaveSize 2
                (workers + grandchildren).all(::isAlive) shouldBe true
                Family(process, workers, grandchildren)
            }

        suspend fun Family.shouldAllBeGoneWithin5s() {
            try {
                withContext(Dispatchers.IO) { parent.waitFor(30, TimeUnit.SECONDS) } shouldBe true
                eventually(5_000) { (workers + grandchildren).none(::isAlive) }
            } finally {
                // Never leave a survivor behind for the next test, whatever the outcome.
                (workers + grandchildren).forEach { pid -> ProcessHandle.of(pid).ifPresent { it.destroyForcibly() } }
            }
        }

        test(
            "SIGKILL of a parent with a busy pool: workers and the processes their tasks started are gone within 5 s"
        ) {
            val family = startBusyParent()
            family.parent.destroyForcibly()
            family.shouldAllBeGoneWithin5s()
        }

        test(
            "SIGTERM of a parent with a busy pool: workers and the processes their tasks started are gone within 5 s"
        ) {
            val family = startBusyParent()
            family.parent.destroy()
            family.shouldAllBeGoneWithin5s()
        }
    })
