package io.asynccpu.internal.codec

import io.asynccpu.SumOfSquares
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.runBlocking

/** Its static initializer records that it ran; the worker must never initialise it. */
class NotATask {
    companion object {
        init {
            System.setProperty("asynccpu.test.NotATask.initialised", "true")
        }
    }
}

class TaskCodecTest :
    FunSpec({
        val loader = TaskCodecTest::class.java.classLoader

        test("a task encodes in the caller and decodes into a runnable call in the worker") {
            val encoded = TaskCodec.encodeTask(SumOfSquares(4))
            val invocation = TaskCodec.decode(encoded.header, encoded.body, loader)
            runBlocking { invocation.block() } shouldBe 14L
        }

        test("a class that does not implement ProcessTask is refused without being initialised") {
            val e =
                shouldThrow<CodecFailure> {
                    TaskCodec.decode(RunHeader(RunHeader.KIND_TASK, NotATask::class.java.name), ByteArray(0), loader)
                }
            e.kind shouldBe RemoteFailure.KIND_LOADING
            e.message shouldContain "does not implement ProcessTask"
            System.getProperty("asynccpu.test.NotATask.initialised") shouldBe null
        }

        test("a function call may only name a method of a Kotlin class") {
            val e =
                shouldThrow<CodecFailure> {
                    TaskCodec.decode(
                        RunHeader(
                            RunHeader.KIND_FUNCTION,
                            "org.junit.platform.engine.TestEngine",
                            "getId",
                            "()Ljava/lang/String;",
                        ),
                        ByteArray(0),
                        loader,
                    )
                }
            e.message shouldContain "not a Kotlin class"
        }

        test("a function call naming a platform or library class is refused before the class is loaded") {
            for (name in
                listOf("java.lang.Runtime", "kotlin.system.ProcessKt", "io.asynccpu.internal.worker.TaskProcesses")) {
                val e =
                    shouldThrow<CodecFailure> {
                        TaskCodec.decode(RunHeader(RunHeader.KIND_FUNCTION, name, "exit", "(I)V"), ByteArray(0), loader)
                    }
                e.kind shouldBe RemoteFailure.KIND_LOADING
                e.message shouldContain name
                e.message shouldContain "refused"
            }
        }

        test("an unknown class is a loading failure naming the class") {
            val e =
                shouldThrow<CodecFailure> {
                    TaskCodec.decode(RunHeader(RunHeader.KIND_TASK, "com.example.Missing"), ByteArray(0), loader)
                }
            e.kind shouldBe RemoteFailure.KIND_LOADING
            e.message shouldContain "com.example.Missing"
        }
    })
