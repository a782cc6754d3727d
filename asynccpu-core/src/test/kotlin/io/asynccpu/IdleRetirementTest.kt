package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.attribute.PosixFilePermissions
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope

class IdleRetirementTest :
    FunSpec({
        test(
            "the idle clock starts when a worker starts: with idleTimeout below the JVM start, warmUp still serves the burst after it"
        ) {
            val slowJava = slowJavaHome(delaySeconds = 3)
            ProcessPool {
                    maxWorkers = 1
                    idleTimeout = 2.seconds
                    javaHome = slowJava.toString()
                }
                .use { pool ->
                    pool.withEvents { log ->
                        coroutineScope {
                            val warming = async(start = CoroutineStart.UNDISPATCHED) { pool.warmUp() }
                            // While its JVM starts, the worker is starting, neither ready nor idle.
                            val starting = pool.workerReports().single()
                            starting.ready shouldBe false
                            pool.stats().startingWorkers shouldBe 1
                            pool.stats().idleWorkers shouldBe 0
                            warming.await()
                        }
                        val warmed = pool.workerReports().single()
                        warmed.ready shouldBe true
                        val burst = (0 until 8).map { pool.submit(PidTask()) }.awaitAll()
                        burst.toSet() shouldBe setOf(warmed.worker.pid)
                        log.all.filterIsInstance<PoolEvent.WorkerRetired>().shouldBeEmpty()
                    }
                }
        }

        test("WorkerStarted comes before WorkerRetired, and a starting worker holding a task is not reported ready") {
            val slowJava = slowJavaHome(delaySeconds = 1)
            ProcessPool {
                    maxWorkers = 2
                    idleTimeout = 100.milliseconds
                    javaHome = slowJava.toString()
                }
                .use { pool ->
                    pool.withEvents { log ->
                        val early = pool.submit(PidTask())
                        val report = pool.workerReports().single()
                        report.tasksInFlight shouldBe 1
                        report.ready shouldBe false
                        pool.stats().busyWorkers shouldBe 0
                        pool.stats().runningTasks shouldBe 1
                        pool.warmUp(2)
                        early.await() shouldBe
                            pool.workerReports().single { it.worker.id == report.worker.id }.worker.pid
                        log.await<PoolEvent.WorkerRetired>(count = 2).map { it.reason }.toSet() shouldBe
                            setOf(PoolEvent.WorkerRetired.Reason.IDLE)
                        for (id in listOf(1, 2)) {
                            val started = log.all.indexOfFirst { it is PoolEvent.WorkerStarted && it.worker.id == id }
                            val retired = log.all.indexOfFirst { it is PoolEvent.WorkerRetired && it.worker.id == id }
                            (started >= 0) shouldBe true
                            started shouldBeLessThan retired
                        }
                    }
                }
        }
    })

/**
 * A Java home whose `bin/java` waits [delaySeconds] before it runs the real `java`: a worker whose JVM start takes
 * longer than a short idleTimeout, on any machine.
 */
private fun slowJavaHome(delaySeconds: Int): Path {
    val home = Files.createTempDirectory("asynccpu-slow-java")
    val bin = Files.createDirectories(home.resolve("bin"))
    val realJava = Paths.get(System.getProperty("java.home"), "bin", "java")
    val script = bin.resolve("java")
    Files.writeString(script, "#!/bin/sh\nsleep $delaySeconds\nexec '$realJava' \"$@\"\n")
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"))
    home.toFile().deleteOnExit()
    bin.toFile().deleteOnExit()
    script.toFile().deleteOnExit()
    return home
}
