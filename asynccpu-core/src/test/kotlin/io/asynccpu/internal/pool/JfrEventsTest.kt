package io.asynccpu.internal.pool

import io.asynccpu.ExitTask
import io.asynccpu.ProcessPool
import io.asynccpu.SumOfSquares
import io.asynccpu.ThrowingTask
import io.asynccpu.WorkerCrashedException
import io.asynccpu.withTaskId
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import jdk.jfr.Recording
import jdk.jfr.consumer.RecordedEvent
import jdk.jfr.consumer.RecordingFile

class JfrEventsTest :
    FunSpec({
        fun read(file: Path, name: String): List<RecordedEvent> =
            RecordingFile.readAllEvents(file).filter { it.eventType.name == name }

        test(
            "the caller records task submitted and finished events with outcome and times, and worker start and crash"
        ) {
            val dir = Files.createTempDirectory("asynccpu-jfr")
            val file = dir.resolve("parent.jfr")
            val ids =
                Recording().use { recording ->
                    listOf("TaskSubmitted", "TaskFinished", "WorkerStarted", "WorkerCrashed").forEach {
                        recording.enable("io.asynccpu.$it")
                    }
                    recording.start()
                    val ids =
                        ProcessPool {
                                name = "jfr"
                                maxWorkers = 1
                            }
                            .use { pool ->
                                val ok = pool.withTaskId { submit(SumOfSquares(1_000)) }
                                ok.handle.await()
                                val failed = pool.withTaskId { submit(ThrowingTask("arithmetic")) }
                                shouldThrow<ArithmeticException> { failed.handle.await() }
                                shouldThrow<WorkerCrashedException> { pool.run(ExitTask("halt")) }
                                listOf(ok.taskId, failed.taskId)
                            }
                    recording.stop()
                    recording.dump(file)
                    ids
                }
            read(file, "io.asynccpu.TaskSubmitted").size shouldBe 3
            val finished = read(file, "io.asynccpu.TaskFinished").associateBy { it.getLong("taskId") }
            finished.size shouldBe 3
            finished.getValue(ids[0]).getString("outcome") shouldBe "SUCCEEDED"
            finished.getValue(ids[0]).getString("pool") shouldBe "jfr"
            finished.getValue(ids[0]).getString("task") shouldBe "task SumOfSquares"
            (finished.getValue(ids[0]).getLong("runTime") > 0) shouldBe true
            (finished.getValue(ids[0]).getLong("queueTime") >= 0) shouldBe true
            finished.getValue(ids[1]).getString("outcome") shouldBe "FAILED"
            finished.values.count { it.getString("outcome") == "CRASHED" } shouldBe 1
            read(file, "io.asynccpu.WorkerStarted").size shouldBe 1 // no replacement: nothing left to run
            read(file, "io.asynccpu.WorkerCrashed").single().getInt("exitCode") shouldBe 4
        }

        test("a worker records a TaskRun event per task, with the caller's task id, in its own recording") {
            val dir = Files.createTempDirectory("asynccpu-jfr")
            val file = dir.resolve("worker.jfr")
            val ids =
                ProcessPool {
                        maxWorkers = 1
                        jvmArgs += "-XX:StartFlightRecording=filename=$file,dumponexit=true"
                        workerOutput = io.asynccpu.WorkerOutputListener { _, _, _ -> }
                    }
                    .use { pool ->
                        val ok = pool.withTaskId { submit(SumOfSquares(1_000)) }
                        ok.handle.await()
                        val failed = pool.withTaskId { submit(ThrowingTask("arithmetic")) }
                        shouldThrow<ArithmeticException> { failed.handle.await() }
                        listOf(ok.taskId, failed.taskId)
                    }
            val runs = read(file, "io.asynccpu.TaskRun").associateBy { it.getLong("taskId") }
            runs.keys shouldBe ids.toSet()
            runs.getValue(ids[0]).getString("outcome") shouldBe "SUCCEEDED"
            runs.getValue(ids[0]).getString("task") shouldBe "task SumOfSquares"
            runs.getValue(ids[0]).getInt("workerId") shouldBe 1
            runs.getValue(ids[1]).getString("outcome") shouldBe "FAILED"
        }
    })
