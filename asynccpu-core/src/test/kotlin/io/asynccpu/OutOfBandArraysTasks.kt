package io.asynccpu

import kotlinx.serialization.Serializable

// Tasks of OutOfBandArraysTest: byte arrays in fields, lists and results, large enough to travel out of band.

@Serializable class Blobs(val label: String, val first: ByteArray, val count: Int, val second: ByteArray?)

/** Swaps the two arrays and doubles the count: every field was decoded, and every field of the result is encoded. */
@Serializable
class SwapBlobsTask(val blobs: Blobs) : ProcessTask<Blobs> {
    override suspend fun run(): Blobs =
        Blobs(blobs.label + "!", blobs.second ?: ByteArray(0), blobs.count * 2, blobs.first)
}

/** Returns the chunks in reverse order. */
@Serializable
class ReverseChunksTask(val chunks: List<ByteArray>) : ProcessTask<List<ByteArray>> {
    override suspend fun run(): List<ByteArray> = chunks.reversed()
}

/**
 * Returns a [megabytes] MiB array, and halts the worker (exit code 7) once the thread answering it is writing it to the
 * pipe: the parent sees the stream end in the middle of a large RESULT.
 */
@Serializable
class HaltWhileAnsweringTask(val megabytes: Int) : ProcessTask<ByteArray> {
    override suspend fun run(): ByteArray {
        val answering = Thread.currentThread() // the slot's thread writes the answer (FrameWriter.sendNow)
        Thread({
                while (true) {
                    val writing = answering.stackTrace.any { it.methodName == "writeSliced" }
                    if (writing) Runtime.getRuntime().halt(7)
                    Thread.onSpinWait()
                }
            })
            .apply { isDaemon = true }
            .start()
        return ByteArray(megabytes shl 20) { it.toByte() }
    }
}
