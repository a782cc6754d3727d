package io.asynccpu.internal.codec

import io.asynccpu.future.InitFlags
import io.asynccpu.future.JavaTasks
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.serialization.Serializable
import kotlinx.serialization.builtins.serializer

/** The worker side of KIND_JAVA_TASK, in-process: what it instantiates and what it refuses. */
class JavaTaskCodecTest :
    FunSpec({
        val loader = JavaTaskCodecTest::class.java.classLoader

        test("an encoded Java task decodes and runs") {
            val call = TaskCodec.encodeJavaTask(JavaTasks.Upper::class.java, "abc")
            call.header.kind shouldBe RunHeader.KIND_JAVA_TASK
            call.header.className shouldBe JavaTasks.Upper::class.java.name
            val invocation = TaskCodec.decode(call.header, call.body, loader)
            invocation.description shouldBe "Java task Upper"
            invocation.block() shouldBe "ABC"
        }

        test("a class that does not implement JavaTask is refused without being initialised") {
            val header = RunHeader(RunHeader.KIND_JAVA_TASK, "io.asynccpu.future.NotAJavaTask")
            val body = ProtocolCbor.encodeToByteArray(String.serializer(), "x")
            val failure = shouldThrow<CodecFailure> { TaskCodec.decode(header, body, loader) }
            failure.kind shouldBe RemoteFailure.KIND_LOADING
            failure.message shouldContain "does not implement JavaTask"
            InitFlags.notAJavaTaskInitialized shouldBe false
        }

        test("a JavaTask class without a no-argument constructor is refused by the worker too") {
            val header = RunHeader(RunHeader.KIND_JAVA_TASK, JavaTasks.NoDefaultConstructor::class.java.name)
            val body = ProtocolCbor.encodeToByteArray(String.serializer(), "x")
            shouldThrow<CodecFailure> { TaskCodec.decode(header, body, loader) }.kind shouldBe
                RemoteFailure.KIND_LOADING
        }

        test("an input that does not match the declared type is a decoding failure") {
            val header = RunHeader(RunHeader.KIND_JAVA_TASK, JavaTasks.Sum::class.java.name)
            val body = ProtocolCbor.encodeToByteArray(String.serializer(), "not a Range")
            shouldThrow<CodecFailure> { TaskCodec.decode(header, body, loader) }.kind shouldBe
                RemoteFailure.KIND_TASK_DECODING
        }

        test("a record whose canonical constructor refuses the decoded values is a decoding failure") {
            val good = TaskCodec.encodeJavaTask(JavaTasks.Sum::class.java, JavaTasks.Range(0, 3))
            TaskCodec.decode(good.header, good.body, loader).block() shouldBe 3L
            // Same shape as the record, but from > to, which Range's compact constructor rejects.
            val body = ProtocolCbor.encodeToByteArray(RangeShape.serializer(), RangeShape(from = 5, to = 1))
            val failure = shouldThrow<CodecFailure> { TaskCodec.decode(good.header, body, loader) }
            failure.kind shouldBe RemoteFailure.KIND_TASK_DECODING
            failure.message shouldContain "from > to"
        }
    })

@Serializable private class RangeShape(val from: Int, val to: Int)
