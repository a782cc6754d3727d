package io.asynccpu.spi

import io.asynccpu.EchoTask
import io.asynccpu.ExitTask
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPool
import io.asynccpu.SumOfSquares
import io.asynccpu.TaskLoadingException
import io.asynccpu.ThrowingTask
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.userfunctions.pidOf
import io.asynccpu.userfunctions.plainSquare
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.withTimeout

@OptIn(InternalAsyncCpuApi::class)
class EncodedTaskTest :
    FunSpec({
        test("a raw task travels as bytes: its result comes back as bytes that decode on the caller's side") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val task = EncodedTask.of(SumOfSquares(4))
                    val raw = EncodedTask.fromWire(task.header, task.body)
                    raw.isRaw shouldBe true
                    raw.description shouldBe "task SumOfSquares"
                    val bytes = withTimeout(30_000) { (pool as EncodedTaskSubmitter).submitEncoded(raw).await() }
                    task.decodeResult(bytes as ByteArray) shouldBe SumOfSquares(4).run()
                }
        }

        test("a raw task's large byte arrays stay inside its bytes, both ways (they must stand alone)") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val payload = ByteArray(4 shl 20) { (it * 3).toByte() }
                    val task = EncodedTask.of(EchoTask(payload))
                    (task.body.size > payload.size) shouldBe true // the array is in the body, not beside it
                    val raw = EncodedTask.fromWire(task.header, task.body)
                    val bytes = withTimeout(30_000) { (pool as EncodedTaskSubmitter).submitEncoded(raw).await() }
                    (task.decodeResult(bytes as ByteArray) as ByteArray).contentEquals(payload) shouldBe true
                }
        }

        test("a raw task's failure is encoded and rebuilds as the original exception type") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val task = EncodedTask.of(ThrowingTask("arithmetic"))
                    val raw = EncodedTask.fromWire(task.header, task.body)
                    val failure =
                        shouldThrow<EncodedFailureException> {
                            withTimeout(30_000) { (pool as EncodedTaskSubmitter).submitEncoded(raw).await() }
                        }
                    val rebuilt =
                        EncodedFailureException.rebuild(failure.bytes, task, "member X", pool.config.maxFrameSize)
                    rebuilt.shouldBeInstanceOf<ArithmeticException>()
                }
        }

        test("a worker crash under a raw task rebuilds as WorkerCrashedException naming the origin") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val task = EncodedTask.of(ExitTask("exit"))
                    val crash =
                        shouldThrow<WorkerCrashedException> {
                            withTimeout(30_000) {
                                (pool as EncodedTaskSubmitter)
                                    .submitEncoded(EncodedTask.fromWire(task.header, task.body))
                                    .await()
                            }
                        }
                    val rebuilt =
                        EncodedFailureException.rebuild(
                            EncodedFailureException.encode(crash),
                            task,
                            "member X",
                            1 shl 20,
                        )
                    rebuilt.shouldBeInstanceOf<WorkerCrashedException>()
                    rebuilt.pid shouldBe crash.pid
                    rebuilt.exitCode shouldBe 3
                    rebuilt.message shouldContain "on member X"
                }
        }

        test("a raw call crafted to name kotlin.system.exitProcess is refused by the worker, which keeps serving") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val pid = pool.submit(::pidOf).await()
                    // fromWire does not check the class: the header stands for bytes from another process.
                    val head =
                        RunHeader(
                                RunHeader.KIND_FUNCTION,
                                "kotlin.system.ProcessKt",
                                "exitProcess",
                                "(I)Ljava/lang/Void;",
                            )
                            .runHead()
                    val raw = EncodedTask.fromWire(head, EncodedTask.ofFunction(::plainSquare, listOf(0)).body)
                    val failure =
                        shouldThrow<EncodedFailureException> {
                            withTimeout(30_000) { (pool as EncodedTaskSubmitter).submitEncoded(raw).await() }
                        }
                    val rebuilt =
                        EncodedFailureException.rebuild(failure.bytes, raw, "member X", pool.config.maxFrameSize)
                    rebuilt.shouldBeInstanceOf<TaskLoadingException>()
                    rebuilt.message shouldContain "kotlin.system.ProcessKt belongs to the Java or Kotlin platform"
                    rebuilt.message shouldContain "in your own package"
                    pool.submit(::plainSquare, 5).await() shouldBe 25
                    pool.submit(::pidOf).await() shouldBe pid
                }
        }

        test("bytes that are not a task header are refused with IllegalArgumentException") {
            shouldThrow<IllegalArgumentException> { EncodedTask.fromWire(byteArrayOf(0, 0, 0, 9, 1), ByteArray(0)) }
        }
    })
