package io.asynccpu.benchmarks

import java.io.FileDescriptor
import java.io.FileInputStream
import java.io.FileOutputStream
import java.util.concurrent.TimeUnit

/**
 * The floor under W2: a 1-byte ping-pong through two pipes between this JVM and a child JVM ([PipeEcho]) that echoes
 * every byte. No framing, no threads besides the two that block on `read`: what any process pool on this machine pays
 * per round trip at least.
 */
object PipeRoundTrip {
    /** [rounds] lists of [roundTrips] round-trip times in microseconds, after a warm-up. */
    fun measure(rounds: Int, roundTrips: Int): List<List<Double>> {
        val java = ProcessHandle.current().info().command().orElse("java")
        val process =
            ProcessBuilder(
                    java,
                    "-Xshare:auto",
                    "-cp",
                    System.getProperty("java.class.path"),
                    PipeEcho::class.java.name,
                )
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start()
        try {
            val out = process.outputStream
            val input = process.inputStream
            fun pingPong(i: Int) {
                out.write(i and 0x7F)
                out.flush()
                check(input.read() == i and 0x7F) { "the echo process answered something else" }
            }
            repeat(WARM_UP) { pingPong(it) }
            return List(rounds) {
                List(roundTrips) { i ->
                    val start = System.nanoTime()
                    pingPong(i)
                    (System.nanoTime() - start) / 1e3
                }
            }
        } finally {
            process.outputStream.close()
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly()
        }
    }

    private const val WARM_UP = 5_000
}

/** The child of [PipeRoundTrip]: echoes stdin to stdout one read at a time until end of stream. */
object PipeEcho {
    @JvmStatic
    fun main(args: Array<String>) {
        val input = FileInputStream(FileDescriptor.`in`)
        val out = FileOutputStream(FileDescriptor.out)
        val buffer = ByteArray(1)
        while (true) {
            val n = input.read(buffer)
            if (n < 0) return
            out.write(buffer, 0, n)
        }
    }
}
