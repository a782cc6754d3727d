package io.asynccpu.it

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import java.io.File
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * Signals from outside, on real processes: the test starts [io.asynccpu.it.hygiene.HygieneAppKt] as the leader of its
 * own process group (as a shell starts a foreground job) and signals it.
 */
class ProcessHygieneTest :
    FunSpec({
        val classpath =
            (listOf(ItSupport.target.resolve("${ItSupport.finalName}.jar").toFile()) +
                    ItSupport.target.resolve("modules").toFile().listFiles().orEmpty().sorted())
                .joinToString(File.pathSeparator)

        /** The app, started with [extraJvmArgs] (its class path among them); its output line by line, as it comes. */
        class App(extraJvmArgs: List<String>) {
            val lines = LinkedBlockingQueue<String>()
            val all = StringBuffer()
            val process: Process =
                ProcessBuilder(listOf("setsid", ItSupport.java) + extraJvmArgs + "io.asynccpu.it.hygiene.HygieneAppKt")
                    .redirectErrorStream(true)
                    .start()

            init {
                Thread {
                        process.inputStream.bufferedReader().forEachLine {
                            lines += it
                            all.append(it).append('\n')
                        }
                    }
                    .apply { isDaemon = true }
                    .start()
            }

            /** Waits for the parent and both workers' sleepers: worker pid to the `sleep` pid it started. */
            fun awaitSpawned(): Map<Long, Long> {
                val spawned = mutableMapOf<Long, Long>()
                var ready = false
                val deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2)
                while (spawned.size < 2 || !ready) {
                    val line = lines.poll(100, TimeUnit.MILLISECONDS)
                    if (line == null) {
                        check(process.isAlive && System.nanoTime() < deadline) { "app did not start:\n$all" }
                        continue
                    }
                    if (line.startsWith("PARENT-READY")) ready = true
                    SPAWNED.find(line)?.let { spawned[it.groupValues[1].toLong()] = it.groupValues[2].toLong() }
                }
                return spawned
            }
        }

        test(
            "SIGINT to the parent's process group: queued tasks are cancelled, workers and their children are gone within 5 s, no worker noise"
        ) {
            for (groups in listOf("true", "false")) {
                val app = App(listOf("-Dasynccpu.processGroups=$groups", "-cp", classpath))
                val spawned = app.awaitSpawned()
                signalGroup("INT", app.process.pid())
                app.process.waitFor(60, TimeUnit.SECONDS) shouldBe true
                awaitGone(spawned.keys + spawned.values, app.all)
                val output = app.all.toString()
                output.lines().filter { it == "QUEUED-CANCELLED" } shouldHaveSize 3
                output shouldNotContain " stderr]"
                output shouldNotContain "Exception in thread"
            }
        }

        test("SIGKILL to a worker only: the processes its task started are gone within 5 s") {
            val app = App(listOf("-cp", classpath))
            try {
                val spawned = app.awaitSpawned()
                val (worker, child) = spawned.entries.first()
                ProcessHandle.of(child).isPresent shouldBe true
                ProcessHandle.of(worker).get().destroyForcibly()
                awaitGone(listOf(worker, child), app.all)
            } finally {
                signalGroup("KILL", app.process.pid())
                app.process.waitFor(30, TimeUnit.SECONDS)
            }
        }
    }) {
    companion object {
        private val SPAWNED = Regex("SPAWNED worker=(\\d+) child=(\\d+)")

        fun signalGroup(signal: String, leader: Long) {
            ProcessBuilder("kill", "-$signal", "--", "-$leader").inheritIO().start().waitFor(10, TimeUnit.SECONDS)
        }

        /** Every pid in [pids] is gone within 5 s (the bound), or the test fails with the app's output. */
        fun awaitGone(pids: Collection<Long>, output: CharSequence) {
            val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5)
            while (pids.any { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) }) {
                if (System.nanoTime() > deadline) {
                    val alive = pids.filter { pid -> ProcessHandle.of(pid).map { it.isAlive }.orElse(false) }
                    error("still alive 5 s later: $alive\n$output")
                }
                Thread.sleep(50)
            }
        }
    }
}
