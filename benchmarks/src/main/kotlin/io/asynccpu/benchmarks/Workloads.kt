package io.asynccpu.benchmarks

import io.asynccpu.ProcessTask
import kotlinx.serialization.Serializable

// The functions the workloads run, in a worker and in-process alike (see ../shared/DESIGN.md, W1-W6).

/** W1, W2, W5: the trivial round trip `f(i) = i`. */
fun identity(i: Int): Int = i

/** W3: `sum(i*i for i in 0 until n)`. */
fun sumOfSquares(n: Long): Long {
    var sum = 0L
    for (i in 0 until n) sum += i * i
    return sum
}

/** W3 check value: every task returns this for n = 3,000,000. */
const val W3_EXPECTED: Long = 8999995500000500000L

@Serializable class Summary(val size: Int, val first: Byte, val last: Byte)

/** W4 parent → child: the worker reports length, first and last byte of what it received. */
fun summarize(payload: ByteArray): Summary = Summary(payload.size, payload.first(), payload.last())

/** W4 echo: the payload travels both ways. */
fun echo(payload: ByteArray): ByteArray = payload

/** W4 child → parent, direct: the worker returns a payload it already holds. */
fun heldPayload(megabytes: Int): ByteArray = HeldPayload.get(megabytes)

private object HeldPayload {
    @Volatile private var payload = ByteArray(0)

    fun get(megabytes: Int): ByteArray {
        if (payload.size != megabytes shl 20) payload = payload(megabytes shl 20)
        return payload
    }
}

/** `bytes(range(256)) * n / 256`: first byte 0, last byte 255 (for sizes that are multiples of 256). */
fun payload(size: Int): ByteArray = ByteArray(size) { it.toByte() }

/** W6: `f(i) = i * 2`, applied per item by `pool.map`. */
fun double(i: Int): Int = i * 2

/** W6 in-process ceiling: one chunk of `f(i) = i * 2`. */
fun doubleChunk(chunk: IntArray): IntArray = IntArray(chunk.size) { chunk[it] * 2 }

/** M1: which process ran this. */
fun workerPid(): Long = ProcessHandle.current().pid()

/** The codec microbenchmark's small task (same shape as W1's call, as a task class). */
@Serializable
class IdentityTask(val i: Int) : ProcessTask<Int> {
    override suspend fun run(): Int = i
}

/** The codec microbenchmark's large task (W4's echo as a task class). */
@Serializable
class EchoTask(val payload: ByteArray) : ProcessTask<ByteArray> {
    override suspend fun run(): ByteArray = payload
}
