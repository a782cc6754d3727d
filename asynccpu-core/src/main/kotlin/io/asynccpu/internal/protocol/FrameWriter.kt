package io.asynccpu.internal.protocol

import java.io.BufferedOutputStream
import java.io.OutputStream
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * Writes frames (layout in [Protocol]) to one stream, in the order they were handed in.
 *
 * [send] queues a frame and never blocks the caller, even when the pipe is full: a dedicated thread takes every frame
 * that is ready, writes them into one buffer (coalescing small frames into one `write` for throughput), and flushes as
 * soon as nothing more is queued (for latency). Large bodies bypass the buffer and are written without a copy.
 *
 * [sendNow] writes on the caller's thread instead: everything queued before it, then its frame, then a flush, and
 * returns once they are in the pipe. A worker answers with it, so that an answer is in the pipe before the slot starts
 * its next request, without waking the writer thread and waiting for it (a thread hand-off per task).
 *
 * Two locks keep the order: the queue lock (held only to add or take frames, so [send] never waits for I/O) and the
 * write lock (held while frames taken from the queue are written). Frames are only taken from the queue under the write
 * lock, all of them at once, so whoever writes writes them in the order they were queued.
 *
 * With a [directBudget], [send] writes on the caller's thread when that cannot block and nothing is waiting: the stream
 * is open, no frame is queued or being written, nothing written may still sit in the pipe, and the frame fits in
 * [directBudget] (no more than the smallest pipe the OS gives, so the `write` returns at once). The pipe is known to be
 * empty when the peer answered the last RUN frame written and nothing was written after it ([acknowledge]). This takes
 * the writer thread's wake-up off a lone request's round trip (W2); a burst still goes through the writer thread, which
 * coalesces it.
 *
 * [open] runs on the writer thread before the first write (the parent uses it to start the child process off the
 * caller's thread). If opening or writing fails, [onFailure] is called once (never on a [sendNow] caller's thread) and
 * later frames are dropped: the owner treats the channel as broken.
 */
internal class FrameWriter
@JvmOverloads
constructor(
    threadName: String,
    private val open: () -> OutputStream,
    private val onFailure: (Throwable) -> Unit,
    private val directBudget: Int = 0,
) {
    private val queueLock = ReentrantLock()
    private val queued = queueLock.newCondition()
    private val queue = ArrayDeque<Any>() // guarded by queueLock
    private var writerWaiting = false // guarded by queueLock

    private val writeLock = ReentrantLock()
    private val batch = ArrayList<Any>() // guarded by writeLock
    private val header = ByteArray(Protocol.HEADER_SIZE) // guarded by writeLock

    /** Bytes handed to the stream so far: where the last frame written ends. Guarded by writeLock. */
    private var written = 0L

    /**
     * The last RUN frame written: its request id and the offset where it ends. Set under writeLock in the order id =
     * -1, end, id; [acknowledge] reads id, end, id (a seqlock: a torn read is ignored).
     */
    @Volatile private var lastRunId = -1L

    @Volatile private var lastRunEnd = 0L

    /** The peer has consumed the stream at least up to here. */
    @Volatile private var consumed = 0L

    /** The open stream; null until [open] returned, and after the stream was closed or broke. */
    @Volatile private var out: OutputStream? = null

    @Volatile private var failed = false

    @Volatile private var closed = false

    private val thread =
        Thread(::loop, threadName).apply {
            isDaemon = true
            start()
        }

    /** Queues [frame] (or writes it at once, see [directBudget]); a no-op after [close] or a write failure. */
    fun send(frame: Frame) {
        if (closed || failed) return
        if (directBudget > 0 && writeDirect(frame)) return
        enqueue(frame)
    }

    /**
     * The peer sent a frame about request [id]: if that is the last RUN frame written, the peer has read everything up
     * to its end. Called by the thread that reads the peer's frames.
     */
    fun acknowledge(id: Long) {
        if (id != lastRunId) return
        val end = lastRunEnd
        if (lastRunId == id && end > consumed) consumed = end
    }

    /** Writes [frame] on this thread if that cannot block and keeps the order (see [directBudget]); else false. */
    private fun writeDirect(frame: Frame): Boolean {
        if (Protocol.HEADER_SIZE + frame.payloadSize > directBudget) return false
        if (!writeLock.tryLock()) return false // the writer thread (or a sendNow) is writing: queue behind it
        try {
            val stream = out ?: return false
            if (written != consumed) return false // the peer may not have read everything: batch on the writer thread
            if (queueLock.withLock { queue.isNotEmpty() }) return false // queued frames go first
            try {
                write(stream, frame)
                stream.flush()
            } catch (t: Throwable) {
                broken(t, onThisThread = false)
            }
            return true
        } finally {
            writeLock.unlock()
        }
    }

    /**
     * Writes everything queued so far and then [frame] on the calling thread, and flushes: when it returns, they are in
     * the pipe (or the channel is broken). Blocks while the pipe is full. Before the stream is open it falls back to
     * [send] and [flush] with [timeoutMillis].
     */
    fun sendNow(frame: Frame, timeoutMillis: Long = OPEN_WAIT_MILLIS) {
        if (closed || failed) return
        writeLock.withLock {
            val stream = out
            if (stream != null) {
                queueLock.withLock { queue.addLast(frame) }
                try {
                    writeQueued(stream)
                } catch (t: Throwable) {
                    broken(t, onThisThread = false)
                }
                return
            }
        }
        send(frame)
        try {
            flush(timeoutMillis)
        } catch (e: InterruptedException) {
            Thread.currentThread().interrupt() // (a task thread cancelled meanwhile) the frame is queued anyway
        }
    }

    /**
     * Blocks until every frame queued before this call has been written and flushed, or [timeoutMillis] passed. Returns
     * whether the flush completed.
     */
    fun flush(timeoutMillis: Long): Boolean {
        if (failed || !thread.isAlive) return false
        val latch = CountDownLatch(1)
        enqueue(latch)
        return latch.await(timeoutMillis, TimeUnit.MILLISECONDS)
    }

    /** Writes what is queued, then closes the stream (the peer sees end of stream). Idempotent. */
    fun close() {
        if (closed) return
        closed = true
        enqueue(CLOSE)
    }

    private fun enqueue(item: Any) =
        queueLock.withLock {
            queue.addLast(item)
            if (writerWaiting) queued.signal()
        }

    private fun loop() {
        try {
            out = BufferedOutputStream(open(), BUFFER_SIZE)
            while (true) {
                queueLock.withLock {
                    while (queue.isEmpty() && out != null) {
                        writerWaiting = true
                        try {
                            queued.await()
                        } finally {
                            writerWaiting = false
                        }
                    }
                }
                val stream =
                    writeLock.withLock {
                        val stream = out ?: return // closed
                        writeQueued(stream)
                        out
                    }
                if (stream == null) return
            }
        } catch (t: Throwable) {
            broken(t, onThisThread = true)
        }
    }

    /**
     * Under [writeLock]: writes every queued frame, in order, until the queue is empty, then flushes; releases flush
     * latches after the flush, and closes the stream at CLOSE.
     */
    private fun writeQueued(stream: OutputStream) {
        val latches = ArrayList<CountDownLatch>(0)
        try {
            var wrote = false
            while (true) {
                queueLock.withLock {
                    batch.addAll(queue)
                    queue.clear()
                }
                if (batch.isEmpty()) break
                for (item in batch) {
                    when (item) {
                        is Frame -> {
                            write(stream, item)
                            wrote = true
                        }
                        is CountDownLatch -> latches += item
                        CLOSE -> {
                            stream.flush()
                            stream.close()
                            out = null
                            batch.clear()
                            queueLock.withLock { if (writerWaiting) queued.signal() } // the writer thread ends
                            return
                        }
                    }
                }
                batch.clear()
            }
            if (wrote || latches.isNotEmpty()) stream.flush()
        } finally {
            batch.clear()
            latches.forEach { it.countDown() }
        }
    }

    /** The stream broke (or could not be opened): drop what is queued, release waiters, tell the owner once. */
    private fun broken(t: Throwable, onThisThread: Boolean) {
        val first =
            writeLock.withLock {
                val first = !failed
                failed = true
                runCatching { out?.close() }
                out = null
                first
            }
        val latches =
            queueLock.withLock {
                val l = queue.filterIsInstance<CountDownLatch>()
                queue.clear()
                if (writerWaiting) queued.signal()
                l
            }
        latches.forEach { it.countDown() }
        if (!first || closed) return
        if (onThisThread) {
            onFailure(t)
        } else {
            Thread({ onFailure(t) }, "${thread.name}-failure").apply { isDaemon = true }.start()
        }
    }

    private fun write(out: OutputStream, frame: Frame) {
        val length = frame.payloadSize
        check(length <= 0xFFFFFFFFL) { "frame payload too large: $length" }
        BigEndian.putShort(header, 0, Protocol.MAGIC)
        header[2] = frame.type.toByte()
        header[3] = frame.flags.toByte()
        BigEndian.putInt(header, 4, length.toInt())
        BigEndian.putLong(header, 8, frame.id)
        val run = frame.type == Protocol.TYPE_RUN
        if (run) lastRunId = -1L
        written += Protocol.HEADER_SIZE + length
        if (run) {
            lastRunEnd = written
            lastRunId = frame.id
        }
        out.write(header)
        if (frame.head.isNotEmpty()) out.write(frame.head)
        val segments = frame.segments
        if (segments != null) out.write(segments.table())
        writeSliced(out, frame.body)
        // Out-of-band arrays go from the caller's own arrays to the stream: no copy into a buffer.
        segments?.arrays?.forEach { writeSliced(out, it) }
    }

    /**
     * Writes [bytes] in slices: FileOutputStream copies each write into a native buffer of the same size, which for a
     * 16 MiB array is a fresh malloc (mmap) and 4,096 page faults per write. A slice as large as the stream's buffer
     * bypasses that buffer.
     */
    private fun writeSliced(out: OutputStream, bytes: ByteArray) {
        var at = 0
        while (at < bytes.size) {
            val n = minOf(WRITE_SLICE, bytes.size - at)
            out.write(bytes, at, n)
            at += n
        }
    }

    private companion object {
        const val BUFFER_SIZE = 64 * 1024
        const val OPEN_WAIT_MILLIS = 60_000L
        const val WRITE_SLICE = 64 * 1024
        val CLOSE = Any()
    }
}
