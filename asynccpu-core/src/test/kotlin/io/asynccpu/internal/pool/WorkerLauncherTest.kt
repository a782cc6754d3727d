package io.asynccpu.internal.pool

import io.asynccpu.PidTask
import io.asynccpu.ProcessPool
import io.asynccpu.internal.worker.Worker
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import java.io.File
import java.nio.file.Files
import java.nio.file.Paths

class WorkerLauncherTest :
    FunSpec({
        val longClasspath =
            System.getProperty("java.class.path") +
                (0 until 400).joinToString("") { File.pathSeparator + "/nonexistent/dir with space/entry-$it.jar" }

        test("a long class path goes through an @argfile and the worker still starts") {
            ProcessPool {
                    maxWorkers = 1
                    classpath = longClasspath
                }
                .use { pool ->
                    val pid = pool.run(PidTask())
                    val args = io.asynccpu.commandLineOf(pid)
                    args.any { it.startsWith("@") } shouldBe true
                    args shouldNotContain "-cp"
                }
        }

        test("a short class path is passed with -cp, no shell, one argument per element") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    val launcher = WorkerLauncher(pool.config)
                    val command = launcher.command(1, Paths.get("/tmp/x.fifo"))
                    command shouldContain launcher.javaExecutable
                    command shouldContain "-cp"
                    command shouldContain WorkerLauncher.WORKER_MAIN
                    command.first { it.startsWith("-Xmx") } shouldStartWith "-Xmx"
                    command.none { it == "sh" || it == "/bin/sh" || it == "-c" } shouldBe true
                }
        }

        test("prepare builds the command line and environment of a worker; starting it is left to WorkerProcess") {
            val config =
                io.asynccpu
                    .ProcessPoolBuilder()
                    .apply {
                        maxWorkers = 1
                        environment["ASYNCCPU_TEST_VAR"] = "x"
                    }
                    .build()
            val launcher = WorkerLauncher(config)
            val prepared = launcher.prepare(7, Paths.get("/tmp/y.fifo"))
            prepared.arguments shouldContain WorkerLauncher.WORKER_MAIN
            prepared.arguments shouldContain "/tmp/y.fifo"
            prepared.arguments shouldContain "7"
            prepared.environment shouldBe mapOf("ASYNCCPU_TEST_VAR" to "x")
            prepared.exited(null) // never started: releases what the start had reserved
            launcher.close()
        }

        test("close() removes the FIFOs and does not throw when the directory cannot be emptied") {
            val launcher = WorkerLauncher(io.asynccpu.ProcessPoolBuilder().build())
            val fifo = launcher.createFifo(1, 1)
            // Stands for a FIFO created by a worker still starting while the pool closes: the file pass cannot
            // delete a non-empty directory, so the directory stays non-empty.
            val late = Files.createDirectories(fifo.parent.resolve("late").resolve("child"))
            launcher.close()
            Files.exists(fifo) shouldBe false
            Files.exists(late) shouldBe true
            late.parent.toFile().deleteRecursively()
            launcher.close()
            Files.exists(fifo.parent) shouldBe false
        }

        test("worker plugins of installed extensions are named on the command line") {
            val ext =
                object : io.asynccpu.spi.PoolExtension {
                    override val name = "test"
                    override val workerPlugins = listOf("a.B", "c.D")
                }
            ProcessPool { install(ext) }
                .use { pool ->
                    WorkerLauncher(pool.config).command(1, Paths.get("/tmp/x.fifo")) shouldContain
                        "-D${Worker.PLUGINS_PROPERTY}=a.B,c.D"
                }
        }

        test("the default heap cap shares half the machine's memory between the workers") {
            val one = WorkerLauncher.defaultHeapMegabytes(1)
            val four = WorkerLauncher.defaultHeapMegabytes(4)
            (four in (one / 4 - 1)..(one / 4 + 1)) shouldBe true
        }
    })
