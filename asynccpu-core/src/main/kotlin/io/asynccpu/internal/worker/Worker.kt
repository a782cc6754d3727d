package io.asynccpu.internal.worker

import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameReader
import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.Hello
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.ProtocolException
import io.asynccpu.internal.protocol.WorkerBoundFrames
import java.io.BufferedInputStream
import java.io.FileOutputStream
import java.io.InputStream
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.system.exitProcess

/**
 * The worker process: reads requests from the parent, runs them with a [TaskRunner], writes answers to the FIFO, and
 * exits when the parent closes the channel, asks it to, or dies.
 */
internal class Worker(fifoPath: String, workerId: Int, private val maxFrameSize: Int, tasksPerWorker: Int) {
    private val exiting = AtomicBoolean(false)
    private val finished = AtomicBoolean(false)
    private val writer =
        FrameWriter(
            threadName = "asynccpu-worker-writer",
            open = { FileOutputStream(fifoPath) },
            onFailure = { exit(EXIT_CHANNEL_BROKEN, "channel to the parent is broken: $it") },
        )
    private val context = RealWorkerContext(workerId, writer, maxFrameSize)

    init {
        io.asynccpu.WorkerState.workerId = workerId
    }

    private val runner = TaskRunner(writer, tasksPerWorker, maxFrameSize, ::fatal, context.interceptors)

    fun serve(input: InputStream) {
        // A task that calls System.exit still flushes what it logged and answered.
        Runtime.getRuntime().addShutdownHook(Thread({ finish() }, "asynccpu-worker-exit"))
        writer.send(Messages.hello(Hello(ProcessHandle.current().pid(), Runtime.version().toString())))
        context.startPlugins(System.getProperty(PLUGINS_PROPERTY))
        val buffered = FrameInput(input)
        val reader = FrameReader(buffered, maxFrameSize)
        ReaderRelay("asynccpu-worker-reader") { relay -> lead(reader, buffered, relay) }.serve()
    }

    /**
     * Reads and handles the parent's frames while this thread holds the reading ([ReaderRelay]). A RUN that finds the
     * worker idle with nothing more to read is run here, on this thread, before reading on; if the standby thread took
     * the reading over while it ran, this returns.
     */
    private fun lead(reader: FrameReader, input: FrameInput, relay: ReaderRelay) {
        while (true) {
            val frame =
                try {
                    reader.readFrame()
                } catch (e: ProtocolException) {
                    System.err.println("asynccpu worker: malformed frame from the parent: ${e.message}")
                    exit(EXIT_PROTOCOL_ERROR, "protocol error")
                } ?: exit(0, "parent closed the channel")
            if (
                frame.type == Protocol.TYPE_RUN &&
                    runner.idle &&
                    input.nothingMoreToRead() &&
                    runner.runHereIfIdle(frame, relay::pause)
            ) {
                if (relay.resume()) continue
                return // the standby thread took the reading over while the task ran
            }
            handle(frame)
        }
    }

    /**
     * Hands [frame] to its handler ([WorkerBoundFrames]); a malformed payload ends the worker like a malformed frame.
     */
    private fun handle(frame: Frame) {
        try {
            WorkerBoundFrames.dispatch(frame, requests)
        } catch (e: ProtocolException) {
            System.err.println("asynccpu worker: malformed frame from the parent: ${e.message}")
            exit(EXIT_PROTOCOL_ERROR, "protocol error")
        }
    }

    /** What the worker does with each frame from the parent, decoded by [WorkerBoundFrames]. */
    private val requests =
        object : WorkerBoundFrames.Handler {
            override fun run(frame: Frame) = runner.submit(frame)

            override fun cancel(id: Long) = runner.cancel(id)

            override fun credit(id: Long, items: Int) = runner.credit(id, items)

            override fun side(topic: String, payload: ByteArray) = context.dispatch(topic, payload)

            override fun shutdown() {
                runner.awaitIdle()
                exit(0, "shutdown requested")
            }

            override fun unexpected(type: Int) =
                System.err.println("asynccpu worker: ignoring unexpected ${Protocol.typeName(type)} frame")
        }

    /** A VirtualMachineError: report it, flush, and halt at once (no shutdown hooks on an exhausted heap). */
    private fun fatal(error: Throwable, description: String) {
        writer.send(Messages.fatal("$error (while running $description)"))
        if (exiting.compareAndSet(false, true)) {
            finish()
            Runtime.getRuntime().halt(EXIT_FATAL)
        }
    }

    /** Flushes what is pending, stops every process the tasks started, and exits with [code]. */
    fun exit(code: Int, reason: String): Nothing {
        if (exiting.compareAndSet(false, true)) {
            runner.cancelAll(EXIT_GRACE_MILLIS)
            finish()
            ProcessHandle.current().descendants().forEach { it.destroyForcibly() }
            // Exit normally (shutdown hooks run), but never hang: halt if that takes too long.
            Thread(
                    {
                        Thread.sleep(EXIT_GRACE_MILLIS)
                        Runtime.getRuntime().halt(code)
                    },
                    "asynccpu-exit-watchdog",
                )
                .apply { isDaemon = true }
                .start()
            if (code != 0) System.err.println("asynccpu worker exiting ($code): $reason")
            exitProcess(code)
        }
        // Another thread is already exiting; wait for it.
        while (true) Thread.sleep(1_000)
    }

    private fun finish() {
        if (!finished.compareAndSet(false, true)) return
        context.runExitActions()
        writer.flush(EXIT_GRACE_MILLIS)
    }

    /** The parent's stream, buffered; tells whether a next frame has begun to arrive. */
    private class FrameInput(input: InputStream) : BufferedInputStream(input, 64 * 1024) {
        /**
         * Whether no byte of a next frame has arrived yet (then a RUN just read is a lone request; a burst is left to
         * the slots). Looks at the buffer first: the pipe is asked (one system call) only when it is empty.
         */
        fun nothingMoreToRead(): Boolean =
            count == pos &&
                try {
                    `in`.available() == 0
                } catch (e: java.io.IOException) {
                    false
                }
    }

    companion object {
        const val PLUGINS_PROPERTY: String = "asynccpu.worker.plugins"
        const val EXIT_PROTOCOL_ERROR: Int = 70
        const val EXIT_CHANNEL_BROKEN: Int = 71
        const val EXIT_FATAL: Int = 72
        private const val EXIT_GRACE_MILLIS = 2_000L
    }
}
