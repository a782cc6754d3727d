package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.serialization.KSerializer
import kotlinx.serialization.cbor.Cbor

class BadInputTest :
    FunSpec({
        val pool = ProcessPool {
            maxWorkers = 1
            maxFrameSize = 1 shl 20
        }
        afterSpec { pool.close() }

        test("a task class that is not @Serializable is refused at submit") {
            val e = shouldThrow<TaskEncodingException> { pool.submit(NotSerializableTask(1)) }
            e.message shouldContain NotSerializableTask::class.java.name
            e.message shouldContain "@Serializable"
        }

        test("a task whose field fails to encode is refused at submit") {
            val e = shouldThrow<TaskEncodingException> { pool.submit(BadFieldTask(Opaque(1))) }
            e.message shouldContain "could not be encoded"
            e.message shouldContain "Opaque values cannot be encoded"
        }

        test("a result type without a serializer is refused at submit") {
            val e = shouldThrow<TaskEncodingException> { pool.submit(UnserializableResultTask()) }
            e.message shouldContain "Opaque"
        }

        test("a result that fails to encode in the worker fails that task only") {
            val pid = pool.run(PidTask())
            val e = shouldThrow<TaskEncodingException> { pool.run(BadResultTask()) }
            e.message shouldContain "could not be encoded in the worker"
            e.message shouldContain "Opaque values cannot be encoded"
            pool.run(PidTask()) shouldBe pid
        }

        test("a task above maxFrameSize is refused at submit") {
            val e = shouldThrow<FrameTooLargeException> { pool.submit(EchoTask(ByteArray(2 shl 20))) }
            e.limit shouldBe (1 shl 20)
            e.message shouldContain "maxFrameSize"
        }

        test("a result above maxFrameSize fails that task; the worker stays healthy") {
            val pid = pool.run(PidTask())
            val e = shouldThrow<FrameTooLargeException> { pool.run(BigResultTask(megabytes = 2)) }
            e.message shouldContain "maxFrameSize"
            pool.run(PidTask()) shouldBe pid
        }

        test("a class the worker cannot load fails with TaskLoadingException; other tasks go on") {
            // Workers get a class path without the test classes: they can load the library, not the task.
            val libraryOnly =
                listOf(ProcessPool::class, Unit::class, KSerializer::class, Cbor::class, CoroutineScope::class)
                    .map { File(it.java.protectionDomain.codeSource.location.toURI()).path }
                    .distinct()
                    .joinToString(File.pathSeparator)
            ProcessPool {
                    maxWorkers = 1
                    classpath = libraryOnly
                }
                .use { narrow ->
                    val e = shouldThrow<TaskLoadingException> { narrow.run(SumOfSquares(3)) }
                    e.message shouldContain SumOfSquares::class.java.name
                    e.message shouldContain "classpath"
                    val again = shouldThrow<TaskLoadingException> { narrow.run(SumOfSquares(4)) }
                    again.message shouldContain "classpath"
                }
        }

        test("a malformed frame from a worker is a clear WorkerCrashedException, never a mis-parse") {
            val e = shouldThrow<WorkerCrashedException> { pool.run(ChannelCorruptingTask()) }
            e.message shouldContain "frame"
            pool.run(SumOfSquares(3)) shouldBe 5L
        }
    })
