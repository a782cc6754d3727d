package io.asynccpu.internal.worker

import io.asynccpu.internal.codec.CodecFailure
import io.asynccpu.internal.codec.OutOfBand
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.spi.InterceptedTask
import io.asynccpu.spi.TaskInterceptor
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import jdk.jfr.FlightRecorder
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

/**
 * Runs RUN requests in the worker, at most [tasksPerWorker] at a time and in arrival order, on the worker's own
 * dispatcher, and answers each exactly once with RESULT, FAILURE or CANCELLED.
 *
 * CANCEL cancels the task's coroutine, interrupts the thread running it and stops the processes the task started
 * ([TaskProcesses]), again once it ended; a request cancelled before it started is answered CANCELLED without running.
 * A [VirtualMachineError] (such as `OutOfMemoryError`) is fatal: [onFatal] reports it and the worker exits, because a
 * worker that hit one must never serve again.
 */
internal class TaskRunner(
    private val writer: FrameWriter,
    private val tasksPerWorker: Int,
    private val maxFrameSize: Int,
    private val onFatal: (Throwable, String) -> Unit,
    /** Wrap every request, outermost first (registered by worker plugins). */
    private val interceptors: List<TaskInterceptor> = emptyList(),
) {
    private val threadNumber = AtomicInteger()
    private val executor =
        Executors.newFixedThreadPool(tasksPerWorker) { r ->
            Thread(r, "asynccpu-task-${threadNumber.incrementAndGet()}").apply { isDaemon = true }
        }
    private val scope = CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher())
    private val entries = ConcurrentHashMap<Long, TaskEntry>()
    private val heads = RunHeads(TaskRunner::class.java.classLoader)

    // The slots: at most tasksPerWorker requests run at once, started in arrival order. A request that finds no free
    // slot waits in [pending]; pending is not empty only while every slot is taken, and a slot that finishes takes
    // the next pending request itself.
    private val lock = Any()
    private val pending = ArrayDeque<Frame>() // guarded by lock
    @Volatile private var running = 0 // slots taken; changed under lock

    /** Whether no request is running or waiting (a hint: [runHereIfIdle] decides under the lock). */
    val idle: Boolean
        get() = running == 0

    private var closed = false // guarded by lock

    /** Accepts a RUN frame; never blocks. */
    fun submit(frame: Frame) {
        val start =
            synchronized(lock) {
                if (closed) return
                entries[frame.id] = TaskEntry(frame.id)
                if (running < tasksPerWorker) {
                    running++
                    true
                } else {
                    pending.addLast(frame)
                    false
                }
            }
        if (start) scope.launch { serveSlot(frame) }
    }

    /**
     * Runs [frame] on the calling thread if no request is running or waiting (so the task starts without a hand-off to
     * another thread): calls [beforeStart], then runs the task until it ends or first suspends (it then goes on on the
     * worker's dispatcher, as every task does after a suspension). Returns false, having done nothing, otherwise.
     */
    fun runHereIfIdle(frame: Frame, beforeStart: () -> Unit): Boolean {
        synchronized(lock) {
            if (closed || running != 0) return false
            running = 1
            entries[frame.id] = TaskEntry(frame.id)
        }
        beforeStart()
        scope.launch(start = CoroutineStart.UNDISPATCHED) { serveSlot(frame) }
        return true
    }

    /**
     * One slot: runs [first], then the pending requests while there are any. Each answer is in the pipe before the slot
     * starts another request: the parent fails the first tasksPerWorker unanswered requests of a dead worker and
     * requeues the rest as never started; an answer still queued here when the worker is killed would make a started
     * request look unstarted, and it would run twice. So every answer is written with sendNow, on the slot's own
     * thread, before runOne returns (no hand-off to the writer thread).
     */
    private suspend fun serveSlot(first: Frame) {
        var frame: Frame? = first
        while (frame != null) {
            runOne(frame)
            frame =
                synchronized(lock) {
                    pending.removeFirstOrNull()
                        ?: run {
                            running--
                            null
                        }
                }
        }
    }

    /** Handles CREDIT: a streaming request may send [items] more items; ignored once it finished. */
    fun credit(id: Long, items: Int) {
        entries[id]?.credits?.trySend(items)
    }

    /** Handles CANCEL: ignored for a request that already finished. Stops the processes the task started. */
    fun cancel(id: Long) {
        val entry = entries[id] ?: return
        entry.cancel()
        entry.stopProcesses()
    }

    /** Cancels everything and waits up to [millis] for the answers to be queued. */
    fun cancelAll(millis: Long) {
        entries.values.forEach { it.cancel() }
        val deadline = System.currentTimeMillis() + millis
        try {
            while (entries.isNotEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(5)
        } catch (e: InterruptedException) {
            // called from a task thread that was just cancelled: stop waiting
        }
    }

    /** Waits until no task is queued or running. */
    fun awaitIdle() {
        synchronized(lock) { closed = true }
        runBlocking { scope.coroutineContext[Job]!!.children.forEach { it.join() } }
    }

    private suspend fun runOne(frame: Frame) {
        val entry = entries[frame.id] ?: return
        try {
            if (entry.cancelled) {
                writer.sendNow(Messages.control(Protocol.TYPE_CANCELLED, frame.id))
                return
            }
            var started = false
            entry.startedNanos = System.nanoTime()
            // Started on this thread (the slot's: a thread of the worker's dispatcher, or the reader that took a lone
            // RUN): a task that does not suspend runs and answers without a dispatch, and join() then returns at once.
            val job =
                scope.launch(
                    TaskThreadElement(entry) + RequestContext(frame.id, writer, entry, maxFrameSize),
                    CoroutineStart.UNDISPATCHED,
                ) {
                    started = true
                    execute(entry, frame)
                }
            entry.attach(job)
            job.join()
            // A CANCEL that lands between the check above and the job's start cancels the job before its body
            // runs, so execute() never answers: answer here, or the request would never be answered at all.
            if (!started) writer.sendNow(Messages.control(Protocol.TYPE_CANCELLED, frame.id))
        } finally {
            entries.remove(frame.id)
        }
    }

    private suspend fun execute(entry: TaskEntry, frame: Frame) {
        val id = frame.id
        // Until a recording starts, the event class stays unloaded: loading an Event subclass initialises JFR
        // (about 100 ms of a worker's start, W5).
        val event = if (FlightRecorder.isInitialized()) TaskRunEvent.begin(id) else null
        val started = System.nanoTime()
        var description = "request $id"
        val answer: Frame =
            try {
                val resolved = heads.resolve(frame.head)
                val header = resolved.header
                val invocation = resolved.decoder.decode(frame.body, frame.segments)
                description = invocation.description
                val value =
                    if (interceptors.isEmpty()) {
                        invocation.block()
                    } else {
                        intercepted(InterceptedTask(id, description, header.context), 0, invocation.block)
                    }
                val runNanos = System.nanoTime() - started
                when {
                    entry.cancelled -> Messages.control(Protocol.TYPE_CANCELLED, id)
                    invocation.streaming -> FlowMessages.streamEnd(id)
                    else -> encodeResult(id, runNanos, invocation.resultSerializer, value, !frame.inlineAnswer)
                }
            } catch (e: CodecFailure) {
                Messages.failure(id, RemoteFailures.capture(e, e.kind))
            } catch (e: VirtualMachineError) {
                onFatal(e, description)
                return
            } catch (e: Throwable) {
                // Whatever a cancelled task ends with (CancellationException, InterruptedException, or
                // anything else its interruption caused), the answer is CANCELLED.
                if (entry.cancelled) {
                    Messages.control(Protocol.TYPE_CANCELLED, id)
                } else {
                    Messages.failure(id, RemoteFailures.capture(e))
                }
            }
        // A task that ends by cancellation leaves no process behind: those it started since the CANCEL too.
        if (answer.type == Protocol.TYPE_CANCELLED) entry.stopProcesses()
        if (event != null) TaskRunEvent.end(event, description, answer.type)
        writer.sendNow(answer)
    }

    /** Runs [block] inside the interceptors from index [at] on. */
    private suspend fun intercepted(task: InterceptedTask, at: Int, block: suspend () -> Any?): Any? {
        if (at == interceptors.size) return block()
        return interceptors[at].intercept(task) { intercepted(task, at + 1, block) }
    }

    private fun encodeResult(
        id: Long,
        runNanos: Long,
        serializer: kotlinx.serialization.KSerializer<Any?>,
        value: Any?,
        outOfBand: Boolean,
    ): Frame {
        val encoded =
            try {
                OutOfBand.encode(serializer, value, outOfBand)
            } catch (e: VirtualMachineError) {
                throw e
            } catch (e: Throwable) {
                return Messages.failure(id, RemoteFailures.capture(e, RemoteFailure.KIND_RESULT_ENCODING))
            }
        val size = Protocol.RESULT_HEAD + encoded.body.size.toLong() + (encoded.segments?.wireSize ?: 0L)
        if (!Protocol.fits(size, maxFrameSize)) {
            return Messages.failure(
                id,
                RemoteFailure(className = "FrameTooLarge", message = "$size", kind = RemoteFailure.KIND_TOO_LARGE),
            )
        }
        return Messages.result(id, runNanos, encoded.body, encoded.segments)
    }
}
