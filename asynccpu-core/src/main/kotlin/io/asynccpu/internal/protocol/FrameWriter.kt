package io.asynccpu.internal.protocol

import java.io.BufferedOutputStream
import java.io.OutputStream
import java.util.concurrent.CountDownLatch
import java.util.concurrent.LinkedBlockingQueue
import java.util.concurrent.TimeUnit

/**
 * Writes frames (layout in [Protocol]) on a dedicated thread, so that [send] never blocks the caller
 * even when the pipe is full.
 *
 * The thread takes every frame that is ready, writes them into one buffer (coalescing small frames
 * into one `write` for throughput), and flushes as soon as nothing more is queued (for latency).
 * Large bodies bypass the buffer and are written without a copy.
 *
 * [open] runs on the writer thread before the first write (the parent uses it to start the child
 * process off the caller's thread). If opening or writing fails, [onFailure] is called once and
 * later frames are dropped: the owner treats the channel as broken.
 */
internal class FrameWriter(
    threadName: String,
    private val open: () -> OutputStream,
    private val onFailure: (Throwable) -> Unit,
) {
    private val queue = LinkedBlockingQueue<Any>()
    private val header = ByteArray(Protocol.HEADER_SIZE)

    @Volatile private var failed = false

    @Volatile private var closed = false

    private val thread = Thread(::loop, threadName).apply {
        isDaemon = true
        start()
    }

    /** Queues [frame]; a no-op after [close] or a write failure. */
    fun send(frame: Frame) {
        if (!closed && !failed) queue.add(frame)
    }

    /**
     * Blocks until every frame queued before this call has been written and flushed, or
     * [timeoutMillis] passed. Returns whether the flush completed.
     */
    fun flush(timeoutMillis: Long): Boolean {
        if (failed || !thread.isAlive) return false
        val latch = CountDownLatch(1)
        queue.add(latch)
        return latch.await(timeoutMillis, TimeUnit.MILLISECONDS)
    }

    /** Writes what is queued, then closes the stream (the peer sees end of stream). Idempotent. */
    fun close() {
        if (closed) return
        closed = true
        queue.add(CLOSE)
    }

    private fun loop() {
        var out: OutputStream? = null
        try {
            out = BufferedOutputStream(open(), BUFFER_SIZE)
            while (true) {
                var item: Any = queue.take()
                while (true) {
                    when (item) {
                        is Frame -> write(out, item)
                        is CountDownLatch -> {
                            out.flush()
                            item.countDown()
                        }
                        CLOSE -> {
                            out.flush()
                            out.close()
                            return
                        }
                    }
                    item = queue.poll() ?: break
                }
                out.flush()
            }
        } catch (t: Throwable) {
            failed = true
            runCatching { out?.close() }
            drainLatches()
            if (!closed) onFailure(t)
        }
    }

    private fun drainLatches() {
        while (true) {
            val item = queue.poll() ?: return
            if (item is CountDownLatch) item.countDown()
        }
    }

    private fun write(out: OutputStream, frame: Frame) {
        val length = frame.payloadSize
        check(length <= 0xFFFFFFFFL) { "frame payload too large: $length" }
        header[0] = (Protocol.MAGIC ushr 8).toByte()
        header[1] = Protocol.MAGIC.toByte()
        header[2] = frame.type.toByte()
        header[3] = 0
        putInt(header, 4, length.toInt())
        putInt(header, 8, (frame.id ushr 32).toInt())
        putInt(header, 12, frame.id.toInt())
        out.write(header)
        if (frame.head.isNotEmpty()) out.write(frame.head)
        val body = frame.body
        // Large bodies go out in slices: FileOutputStream copies each write into a native buffer of the
        // same size, which for a 16 MiB body is a fresh malloc (mmap) and 4,096 page faults per write.
        var at = 0
        while (at < body.size) {
            val n = minOf(WRITE_SLICE, body.size - at)
            out.write(body, at, n)
            at += n
        }
    }

    private companion object {
        const val BUFFER_SIZE = 64 * 1024
        const val WRITE_SLICE = 64 * 1024
        val CLOSE = Any()

        fun putInt(b: ByteArray, at: Int, v: Int) {
            b[at] = (v ushr 24).toByte()
            b[at + 1] = (v ushr 16).toByte()
            b[at + 2] = (v ushr 8).toByte()
            b[at + 3] = v.toByte()
        }
    }
}
