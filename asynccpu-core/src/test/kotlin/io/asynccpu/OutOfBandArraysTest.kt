package io.asynccpu

import io.asynccpu.userfunctions.appendLabel
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.withTimeout

/**
 * Byte arrays of 64 KiB and more travel beside the CBOR body (out of band), in both directions, through real workers.
 */
class OutOfBandArraysTest :
    FunSpec({
        val pool = ProcessPool { maxWorkers = 2 }
        afterSpec { pool.close() }
        fun bytes(size: Int, seed: Int = 1) = ByteArray(size) { (it * seed + 3).toByte() }

        test("a 16 MiB array echoes unchanged, as a task field and as a function argument and result") {
            val payload = bytes(16 shl 20, 31)
            pool.run(EchoTask(payload)).contentEquals(payload).shouldBeTrue()
            pool.run(::appendLabel, payload, "end").contentEquals(payload + "end".toByteArray()).shouldBeTrue()
        }

        test("a class with two byte arrays and other fields, as the task and as its result") {
            val first = bytes(3 shl 20, 5)
            val second = bytes(100, 7) // small: stays in the body
            val back = pool.run(SwapBlobsTask(Blobs("blobs", first, 21, second)))
            back.label shouldBe "blobs!"
            back.count shouldBe 42
            back.first.contentEquals(second).shouldBeTrue()
            back.second!!.contentEquals(first).shouldBeTrue()
            pool.run(SwapBlobsTask(Blobs("none", first, 1, null))).second!!.contentEquals(first).shouldBeTrue()
        }

        test("a list of byte arrays of mixed sizes, and empty arrays") {
            val chunks = listOf(bytes(1 shl 20, 3), ByteArray(0), bytes(10), bytes(65_536, 9), bytes(2 shl 20, 11))
            pool.run(ReverseChunksTask(chunks)).map { it.toList() } shouldBe chunks.reversed().map { it.toList() }
            pool.run(EchoTask(ByteArray(0))).size shouldBe 0
        }

        test("a worker that dies in the middle of a large answer fails that task only; other tasks go on") {
            ProcessPool { maxWorkers = 2 }
                .use { own ->
                    val other = own.submit(SleepTask(1_000))
                    val e =
                        shouldThrow<WorkerCrashedException> {
                            withTimeout(60_000) { own.run(HaltWhileAnsweringTask(64)) }
                        }
                    e.exitCode shouldBe 7
                    e.message shouldContain "HaltWhileAnsweringTask"
                    withTimeout(30_000) { other.await() } shouldBe "slept 1000"
                    val payload = bytes(8 shl 20)
                    withTimeout(30_000) { own.run(EchoTask(payload)) }.contentEquals(payload).shouldBeTrue()
                }
        }

        test("cancelling a call while its large RUN frame is being written leaves the worker's channel intact") {
            ProcessPool { maxWorkers = 1 }
                .use { own ->
                    val pid = own.run(PidTask())
                    val big = own.submit(EchoTask(bytes(64 shl 20)))
                    big.cancel() // the writer thread is (most likely) writing its 64 MiB right now
                    shouldThrow<CancellationException> { big.await() }
                    val payload = bytes(16 shl 20, 13)
                    withTimeout(30_000) { own.run(EchoTask(payload)) }.contentEquals(payload).shouldBeTrue()
                    own.run(PidTask()) shouldBe pid // the same worker: no protocol error, no crash
                }
        }

        test("a caller may reuse its array once the call completed; the result is a fresh array") {
            val payload = bytes(1 shl 20)
            val back = pool.run(EchoTask(payload))
            (back !== payload).shouldBeTrue()
            back.contentEquals(payload).shouldBeTrue()
            back shouldNotBe null
        }
    })
