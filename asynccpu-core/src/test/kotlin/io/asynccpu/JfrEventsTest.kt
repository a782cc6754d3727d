package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import java.nio.file.Files
import jdk.jfr.Recording
import jdk.jfr.consumer.RecordingFile

class JfrEventsTest :
    FunSpec({
        test("the pool's JFR events are recorded in the caller once a recording runs") {
            val file = Files.createTempFile("asynccpu", ".jfr")
            Recording().use { recording ->
                listOf("io.asynccpu.TaskSubmitted", "io.asynccpu.TaskFinished", "io.asynccpu.WorkerStarted").forEach {
                    recording.enable(it)
                }
                recording.start()
                ProcessPool { maxWorkers = 1 }.use { pool -> pool.run(SumOfSquares(1_000)) }
                recording.stop()
                recording.dump(file)
            }
            RecordingFile.readAllEvents(file).map { it.eventType.name }.toSet() shouldContainAll
                setOf("io.asynccpu.TaskSubmitted", "io.asynccpu.TaskFinished", "io.asynccpu.WorkerStarted")
            Files.deleteIfExists(file)
        }

        test("a worker started with a recording records a TaskRun event per request") {
            val file = Files.createTempFile("asynccpu-worker", ".jfr")
            ProcessPool {
                    maxWorkers = 1
                    jvmArgs += "-XX:StartFlightRecording=filename=$file"
                }
                .use { pool -> pool.run(SumOfSquares(1_000)) } // a graceful exit writes the recording
            RecordingFile.readAllEvents(file).map { it.eventType.name }.toSet() shouldContainAll
                setOf("io.asynccpu.TaskRun")
            Files.deleteIfExists(file)
        }
    })
