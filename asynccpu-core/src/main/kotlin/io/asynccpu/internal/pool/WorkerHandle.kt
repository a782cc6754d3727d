package io.asynccpu.internal.pool

import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerStream
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameReader
import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.FrameBuffer
import io.asynccpu.internal.protocol.Hello
import java.io.FileInputStream
import java.io.FileOutputStream
import java.io.OutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The caller's side of one worker process: the process, the writer of its stdin, the reader of its
 * FIFO, the drainers of its stdout and stderr, and the requests in flight on it.
 *
 * The process is started on the writer thread when the first frame is written, so starting a worker
 * never blocks a caller. Whatever ends the worker (end of stream, a malformed frame, a failed
 * write, the process exiting, a deliberate kill), [RealProcessPool.onWorkerGone] is called exactly
 * once, after every frame the worker managed to write has been handled.
 */
internal class WorkerHandle(
    val id: Int,
    private val pool: RealProcessPool,
    private val launcher: WorkerLauncher,
) {
    /** Requests sent to this worker and not answered yet, in the order they were sent. Guarded by the pool's lock. */
    val inFlight: LinkedHashMap<Long, Call> = LinkedHashMap()

    @Volatile var hello: Hello? = null

    @Volatile var info: WorkerInfo = WorkerInfo(id, -1)
        private set

    /** Why the pool killed this worker on purpose, if it did. */
    @Volatile var killReason: String? = null

    /** A fatal error the worker reported before exiting (an `OutOfMemoryError`). */
    @Volatile var fatal: String? = null

    /** Guarded by the pool's lock: no more requests go to a retiring or dead worker. */
    var accepting: Boolean = true

    // ---- Scheduling state, all guarded by the pool's lock. ----

    /**
     * Whether tasks may be sent: its setup requests (initializer, sticky broadcasts) have all succeeded.
     * Without setup requests this holds from the spawn on, so the first tasks travel with the JVM start;
     * it does not mean the worker runs yet (see [serving]).
     */
    var ready: Boolean = false

    /** It runs: its HELLO arrived and its setup is done (what `WorkerStarted` and `WorkerReport.ready` tell). */
    val serving: Boolean get() = ready && hello != null

    /** Setup requests not sent yet; they are sent one at a time, each after the previous one's answer. */
    val setup: ArrayDeque<Call> = ArrayDeque()

    /** Requests for this worker only, waiting until it is ready. */
    val pinned: ArrayDeque<Call> = ArrayDeque()

    /** A setup request failed: the worker is being discarded and never serves. */
    var setupFailed: Boolean = false

    /** It was asked to exit gracefully. */
    var retiring: Boolean = false

    /** It left the pool (exited); set before its requests are failed. */
    var removed: Boolean = false

    /** Callers' tasks handed to it (for `maxTasksPerWorker`). */
    var tasksDispatched: Int = 0

    /** Requests it answered. */
    @Volatile var tasksDone: Long = 0

    /**
     * Since when it has had nothing in flight ([System.nanoTime]); set when it starts serving, so the
     * idle clock never counts its JVM start. Only read for a [serving] worker.
     */
    var idleSince: Long = System.nanoTime()

    /** Completed once it is ready (HELLO received and setup done); failed if it is gone before. */
    val started: kotlinx.coroutines.CompletableDeferred<Unit> = kotlinx.coroutines.CompletableDeferred()

    private var process: Process? = null
    private var fifo: Path? = null
    private val tail = OutputTail()
    private val drainers = mutableListOf<OutputDrainer>()
    private val gone = AtomicBoolean(false)
    private val readerDone = CountDownLatch(1)

    @Volatile private var fifoOpened = false

    /** Why the reader stopped, if the channel broke (a malformed frame, an I/O error). */
    @Volatile private var channelFailure: Throwable? = null

    @Volatile private var readerStarted = false

    /** Reader thread only: the next frame is already buffered in full after the one being handled. */
    var moreFramesBuffered: Boolean = false
        private set

    /** Reader thread only: an answer skipped refilling because more frames were buffered; refill after them. */
    var dispatchDeferred: Boolean = false

    val writer: FrameWriter = FrameWriter(
        threadName = "asynccpu-${pool.config.name}-$id-writer",
        open = ::start,
        onFailure = { cause -> goneAsync(cause) },
    )

    private fun start(): OutputStream {
        val fifo = launcher.createFifo(id, System.nanoTime()).also { this.fifo = it }
        val process = launcher.start(id, fifo).also { this.process = it }
        info = WorkerInfo(id, process.pid())
        val prefix = "asynccpu-${pool.config.name}-$id"
        drainers += OutputDrainer(process.inputStream, WorkerStream.STDOUT, info, pool.config.workerOutput, tail, "$prefix-stdout")
        drainers += OutputDrainer(process.errorStream, WorkerStream.STDERR, info, pool.config.workerOutput, tail, "$prefix-stderr")
        drainers.forEach { it.start() }
        readerStarted = true
        Thread({ read(fifo) }, "$prefix-reader").apply { isDaemon = true }.start()
        process.onExit().thenRun { goneAsync(null) }
        return process.outputStream
    }

    private fun read(fifo: Path) {
        var failure: Throwable? = null
        try {
            val input = FileInputStream(fifo.toFile())
            fifoOpened = true
            Files.deleteIfExists(fifo) // both ends are open (or the worker is gone): nobody else can join
            input.use {
                val buffered = FrameBuffer(it)
                val reader = FrameReader(buffered, pool.config.maxFrameSize)
                while (true) {
                    val frame: Frame = reader.readFrame() ?: break
                    // Answers read in one go refill the worker once, after the last of them: one wake-up of the
                    // writer thread and one write for the batch instead of one per answer. Only a frame buffered
                    // in full holds the refill back: part of one may be followed by a long wait for the rest.
                    moreFramesBuffered = buffered.hasBufferedFrame()
                    pool.onFrame(this, frame)
                    if (!moreFramesBuffered && dispatchDeferred) {
                        dispatchDeferred = false
                        pool.dispatch()
                    }
                }
            }
        } catch (e: Throwable) {
            failure = e
            channelFailure = e // before readerDone: whichever thread settles the worker reports it
        } finally {
            readerDone.countDown()
        }
        gone(failure)
    }

    /** Kills the process; the reader then sees end of stream and the pool is told. */
    fun kill(reason: String) {
        if (killReason == null) killReason = reason
        val p = process
        if (p == null) goneAsync(null) else destroyTree(p)
    }

    /** Asks the worker to exit after its running tasks, and closes its stdin. */
    fun shutdown() {
        writer.send(io.asynccpu.internal.protocol.Messages.control(io.asynccpu.internal.protocol.Protocol.TYPE_SHUTDOWN))
        writer.close()
    }

    /** Waits for the process to exit; true if it did within [millis]. */
    fun awaitExit(millis: Long): Boolean {
        val p = process ?: return gone.get()
        return p.waitFor(millis, TimeUnit.MILLISECONDS)
    }

    fun isAlive(): Boolean = process?.isAlive == true

    private fun goneAsync(cause: Throwable?) {
        if (gone.get()) return
        Thread({ gone(cause) }, "asynccpu-${pool.config.name}-$id-exit").apply { isDaemon = true }.start()
    }

    private fun gone(reported: Throwable?) {
        val p = process
        val cause = reported ?: channelFailure
        if (p != null && p.isAlive && cause != null) destroyTree(p) // a broken channel: never reuse
        if (!fifoOpened) unblockReader()
        // Every frame the worker wrote must be handled before its calls are settled: a result it sent beats a
        // crash, and a request it answered must never be requeued (it would run twice). The process is dead or
        // being killed, so the reader reaches end of stream as soon as it has caught up, however loaded the
        // machine is; the bound only covers a FIFO that some other process still holds open.
        readerDone.await(READER_DRAIN_MILLIS, TimeUnit.MILLISECONDS)
        if (!gone.compareAndSet(false, true)) return
        if (p != null && p.isAlive) destroyTree(p)
        val exited = p?.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS) ?: false
        if (p != null) ProcessGroups.killGroup(p.pid()) // what its tasks started, even if it was SIGKILLed from outside
        drainers.forEach { it.join(DRAIN_WAIT_MILLIS) }
        val exitCode = if (exited) p?.exitValue() else null
        writer.close()
        pool.onWorkerGone(this, WorkerExit(exitCode, cause ?: channelFailure, tail.snapshot()))
    }

    /**
     * SIGKILLs the worker and every process its tasks started. A worker that exits on its own stops
     * its descendants itself; one killed from here cannot, and once it is dead its children are
     * re-parented out of reach, so they are listed before the kill and killed right after it.
     */
    private fun destroyTree(p: Process) {
        val descendants = p.descendants().toList()
        p.destroyForcibly()
        descendants.forEach { it.destroyForcibly() }
    }

    /** The worker died before opening its end of the FIFO: open it ourselves so the reader sees end of stream. */
    private fun unblockReader() {
        val path = fifo?.takeIf { readerStarted } ?: run {
            readerDone.countDown()
            return
        }
        Thread({
            runCatching { FileOutputStream(path.toFile()).close() }
        }, "asynccpu-fifo-unblock").apply { isDaemon = true }.start()
    }

    override fun toString(): String = "worker-$id(pid=${info.pid})"

    private companion object {
        const val READER_DRAIN_MILLIS = 30_000L
        const val EXIT_WAIT_MILLIS = 2_000L
        const val DRAIN_WAIT_MILLIS = 500L
    }
}

/** How a worker ended: its exit code (null if unknown), the channel failure if any, its last output. */
internal class WorkerExit(val exitCode: Int?, val cause: Throwable?, val lastOutput: List<String>)
