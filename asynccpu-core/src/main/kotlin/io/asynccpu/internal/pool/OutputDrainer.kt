package io.asynccpu.internal.pool

import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerOutputListener
import io.asynccpu.WorkerStream
import java.io.InputStream

/**
 * Reads one of a worker's standard streams line by line on its own thread, hands each line to the pool's
 * [WorkerOutputListener] and keeps the last lines in [tail]. Lines longer than [MAX_LINE] characters are split, so a
 * task that writes binary garbage cannot exhaust memory.
 */
internal class OutputDrainer(
    private val input: InputStream,
    private val stream: WorkerStream,
    private val worker: WorkerInfo,
    private val listener: WorkerOutputListener,
    private val tail: OutputTail,
    threadName: String,
) {
    private val thread = Thread(::drain, threadName).apply { isDaemon = true }

    fun start() = thread.start()

    fun join(millis: Long) = thread.join(millis)

    private fun drain() {
        val reader = input.bufferedReader(Charsets.UTF_8)
        val line = StringBuilder()
        val buffer = CharArray(8192)
        try {
            while (true) {
                val n = reader.read(buffer)
                if (n < 0) break
                for (i in 0 until n) {
                    val c = buffer[i]
                    when {
                        c == '\n' -> emit(line)
                        c == '\r' -> {}
                        else -> {
                            line.append(c)
                            if (line.length >= MAX_LINE) emit(line)
                        }
                    }
                }
            }
        } catch (e: java.io.IOException) {
            // stream closed: the worker is gone
        }
        if (line.isNotEmpty()) emit(line)
    }

    private fun emit(line: StringBuilder) {
        val text = line.toString()
        line.setLength(0)
        tail.add("[${stream.name.lowercase()}] $text")
        try {
            listener.onLine(worker, stream, text)
        } catch (e: Exception) {
            System.err.println("asynccpu: worker output listener failed: $e")
        }
    }

    private companion object {
        const val MAX_LINE = 16 * 1024
    }
}
