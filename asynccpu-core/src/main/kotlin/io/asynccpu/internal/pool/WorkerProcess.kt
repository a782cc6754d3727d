package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolConfig
import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerStream
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameBuffer
import io.asynccpu.internal.protocol.FrameReader
import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import java.io.FileInputStream
import java.io.FileOutputStream
import java.io.OutputStream
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/**
 * One child JVM, seen from the caller: the process, the writer of its stdin, the reader of its FIFO, the drainers of
 * its stdout and stderr. The only class that touches the worker's [Process]: it starts it ([launch], from the command
 * [WorkerLauncher] built), watches its exit, kills it and its process group, and measures it ([cpuTime]).
 *
 * The process is started on the writer thread when the first frame is written (a no-op frame sent at construction), so
 * starting a worker never blocks a caller. A small frame sent while the worker has read everything is written by the
 * sending thread itself (see [FrameWriter]'s direct budget): the `write` cannot block, and a lone request skips the
 * writer thread's wake-up. Every frame read goes to [listener]; whatever ends the worker (end of stream, a malformed
 * frame, a failed write, the process exiting, a deliberate kill), [WorkerListener.onGone] is called exactly once, after
 * every frame the worker managed to write has been handled.
 */
internal class WorkerProcess(
    val id: Int,
    private val config: ProcessPoolConfig,
    private val launcher: WorkerLauncher,
    private val listener: WorkerListener,
) : WorkerPort {
    @Volatile
    override var info: WorkerInfo = WorkerInfo(id, -1)
        private set

    /** Why the pool killed this worker on purpose, if it did. */
    @Volatile private var killReason: String? = null

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

    private val prefix = "asynccpu-${config.name}-$id"

    private val writer: FrameWriter =
        FrameWriter(
            threadName = "$prefix-writer",
            open = ::start,
            onFailure = { cause -> goneAsync(cause) },
            directBudget = DIRECT_WRITE_BUDGET,
        )

    init {
        // Writing the first frame starts the process; this no-op frame does it even with nothing to run yet.
        writer.send(Messages.side(NOOP_TOPIC, Frame.EMPTY))
    }

    override fun send(frame: Frame) = writer.send(frame)

    /** Asks the worker to exit after its running tasks, and closes its stdin. */
    override fun shutdown() {
        writer.send(Messages.control(Protocol.TYPE_SHUTDOWN))
        writer.close()
    }

    /** Kills the process; the reader then sees end of stream and the listener is told. */
    override fun kill(reason: String) {
        if (killReason == null) killReason = reason
        val p = process
        if (p == null) goneAsync(null) else destroyTree(p)
    }

    /** Closes the worker's stdin: it finishes what it has and exits on its own. */
    fun closeInput() = writer.close()

    /** Waits for the process to exit; true if it did within [millis]. */
    fun awaitExit(millis: Long): Boolean {
        val p = process ?: return gone.get()
        return p.waitFor(millis, TimeUnit.MILLISECONDS)
    }

    fun isAlive(): Boolean = process?.isAlive == true

    override fun cpuTime(): Duration? = process?.info()?.totalCpuDuration()?.orElse(null)?.toKotlinDuration()

    override fun residentBytes(): Long? = process?.takeIf { it.isAlive }?.let { ResourceProbe.residentBytes(it.pid()) }

    private fun start(): OutputStream {
        val fifo = launcher.createFifo(id, System.nanoTime()).also { this.fifo = it }
        val process = launch(launcher.prepare(id, fifo)).also { this.process = it }
        info = WorkerInfo(id, process.pid())
        drainers +=
            OutputDrainer(process.inputStream, WorkerStream.STDOUT, info, config.workerOutput, tail, "$prefix-stdout")
        drainers +=
            OutputDrainer(process.errorStream, WorkerStream.STDERR, info, config.workerOutput, tail, "$prefix-stderr")
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
                val reader = FrameReader(buffered, config.maxFrameSize)
                while (true) {
                    val frame: Frame = reader.readFrame() ?: break
                    if (frame.id != 0L) writer.acknowledge(frame.id) // before a refill: the pipe may be known empty now
                    // Only a frame buffered in full holds a refill back: part of one may be followed by a long wait.
                    listener.onFrame(frame, moreBuffered = buffered.hasBufferedFrame())
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

    private fun goneAsync(cause: Throwable?) {
        if (gone.get()) return
        Thread({ gone(cause) }, "$prefix-exit").apply { isDaemon = true }.start()
    }

    private fun gone(reported: Throwable?) {
        val p = process
        val cause = reported ?: channelFailure
        if (p != null && p.isAlive && cause != null) destroyTree(p) // a broken channel: never reuse
        if (!fifoOpened) unblockReader()
        // Every frame the worker wrote must be handled before its requests are settled: a result it sent beats
        // a crash, and a request it answered must never be requeued (it would run twice). The process is dead or
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
        listener.onGone(WorkerExit(exitCode, cause ?: channelFailure, tail.snapshot(), killReason))
    }

    /**
     * SIGKILLs the worker and every process its tasks started. A worker that exits on its own stops its descendants
     * itself; one killed from here cannot, and once it is dead its children are re-parented out of reach, so they are
     * listed before the kill and killed right after it.
     */
    private fun destroyTree(p: Process) {
        val descendants = p.descendants().toList()
        p.destroyForcibly()
        descendants.forEach { it.destroyForcibly() }
    }

    /** The worker died before opening its end of the FIFO: open it ourselves so the reader sees end of stream. */
    private fun unblockReader() {
        val path =
            fifo?.takeIf { readerStarted }
                ?: run {
                    readerDone.countDown()
                    return
                }
        Thread({ runCatching { FileOutputStream(path.toFile()).close() } }, "asynccpu-fifo-unblock")
            .apply { isDaemon = true }
            .start()
    }

    override fun toString(): String = "worker-$id(pid=${info.pid})"

    companion object {
        /**
         * Starts the child JVM [command] describes (the one place a worker process is started); its end, or its failure
         * to start, is reported to [WorkerCommand.exited].
         */
        fun launch(command: WorkerCommand): Process {
            val builder = ProcessBuilder(command.arguments)
            builder.environment().putAll(command.environment)
            val process =
                try {
                    builder.start()
                } catch (e: Exception) {
                    command.exited(null)
                    throw e
                }
            process.onExit().thenRun { command.exited(process.exitValue()) }
            return process
        }

        private const val READER_DRAIN_MILLIS = 30_000L
        private const val EXIT_WAIT_MILLIS = 2_000L
        private const val DRAIN_WAIT_MILLIS = 500L
        private const val NOOP_TOPIC = "asynccpu.noop"

        /**
         * A RUN frame up to this size is written on the sending thread when the pipe is empty: one page, the smallest
         * pipe.
         */
        private const val DIRECT_WRITE_BUDGET = 4096
    }
}
