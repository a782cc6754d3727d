package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.FrameTooLargeException
import io.asynccpu.JavaTask
import io.asynccpu.PoolClosedException
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.ProcessTask
import io.asynccpu.RemoteTaskException
import io.asynccpu.TaskEncodingException
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.ProtocolException
import io.asynccpu.spi.SideChannel
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.reflect.KFunction

/**
 * The [ProcessPool] implementation: a queue of pending calls, a set of [WorkerHandle]s, and the
 * scheduling between them (least-loaded dispatch, on-demand spawning, cancellation, crash handling).
 *
 * All scheduling state is guarded by [lock]; nothing under the lock blocks on I/O (frames are queued
 * to writer threads, processes start on those threads).
 */
internal class RealProcessPool(override val config: ProcessPoolConfig) : ProcessPool {
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private val pending = ArrayDeque<Call>()
    private val workers = ArrayList<WorkerHandle>()
    private val launcher = WorkerLauncher(config)
    private val callIds = AtomicLong()
    private var workerIds = 0
    private var closing = false
    private var closed = false
    private var broken: Throwable? = null
    private var startFailures = 0

    /** Moving average of task run time in the workers, or -1 before the first result. */
    @Volatile private var averageRunNanos = -1.0

    init {
        PoolRegistry.register(this)
        if (config.startEagerly) lock.withLock { repeat(config.maxWorkers) { spawnLocked() } }
    }

    override fun <R> submit(task: ProcessTask<R>): Deferred<R> {
        checkOpen()
        return enqueue(TaskCodec.encodeTask(task))
    }

    override suspend fun <R> run(task: ProcessTask<R>): R {
        val deferred = submit(task)
        try {
            return deferred.await()
        } catch (e: CancellationException) {
            deferred.cancel(e)
            throw e
        }
    }

    override fun <I, O> submit(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O> {
        checkOpen()
        return enqueue(TaskCodec.encodeJavaTask(taskClass, input))
    }

    override fun <R> submitFunction(function: KFunction<R>, args: List<Any?>): Deferred<R> {
        checkOpen()
        return enqueue(TaskCodec.encodeFunction(function, args))
    }

    private fun checkOpen() {
        if (closing) throw PoolClosedException("ProcessPool '${config.name}' is closed: create a new pool to run more tasks.")
    }

    private fun <R> enqueue(encoded: EncodedCall): Deferred<R> {
        val size = encoded.body.size.toLong() + RUN_HEAD_ALLOWANCE + encoded.header.className.length
        if (size > config.maxFrameSize) {
            throw FrameTooLargeException(
                "${encoded.description} encodes to $size bytes, above maxFrameSize (${config.maxFrameSize} bytes): " +
                    "raise maxFrameSize in the pool configuration, or pass large data by reference (a file path).",
                size,
                config.maxFrameSize,
            )
        }
        val call = Call(callIds.incrementAndGet(), encoded)
        lock.withLock {
            checkOpen()
            broken?.let { throw brokenException(it) }
            pending.addLast(call)
            dispatchLocked()
        }
        call.deferred.invokeOnCompletion { cause -> if (cause is CancellationException) onCancelled(call) }
        @Suppress("UNCHECKED_CAST")
        return call.deferred as Deferred<R>
    }

    // ---- scheduling (all under lock) ----

    private fun dispatchLocked() {
        while (pending.isNotEmpty()) {
            val worker = pickWorkerLocked() ?: break
            val call = pending.removeFirst()
            if (call.deferred.isCompleted) continue
            call.worker = worker
            worker.inFlight[call.id] = call
            worker.writer.send(Messages.run(call.id, call.encoded.header, call.encoded.body))
        }
        changed.signalAll()
    }

    private fun pickWorkerLocked(): WorkerHandle? {
        var best: WorkerHandle? = null
        for (w in workers) {
            if (w.accepting && (best == null || w.inFlight.size < best.inFlight.size)) best = w
        }
        if (best != null && best.inFlight.size < config.tasksPerWorker) return best
        if (workers.size < config.maxWorkers) return spawnLocked()
        if (best != null && best.inFlight.size < capacity(best)) return best
        return null
    }

    /** Requests a worker may hold: its running slots, plus a prefetch window when tasks are short. */
    private fun capacity(worker: WorkerHandle): Int {
        val average = averageRunNanos
        val prefetch = worker.hello != null && average >= 0 && average < PREFETCH_BELOW_NANOS
        return config.tasksPerWorker + if (prefetch) PREFETCH else 0
    }

    private fun spawnLocked(): WorkerHandle {
        val worker = WorkerHandle(++workerIds, this, launcher)
        workers += worker
        // Writing the first frame starts the process; a worker with nothing to do yet gets a no-op SIDE frame.
        if (pending.isEmpty()) worker.writer.send(Messages.side(NOOP_TOPIC, Frame.EMPTY))
        return worker
    }

    // ---- frames from workers (reader threads) ----

    fun onFrame(worker: WorkerHandle, frame: Frame) {
        when (frame.type) {
            Protocol.TYPE_HELLO -> onHello(worker, frame)
            Protocol.TYPE_RESULT -> onResult(worker, frame)
            Protocol.TYPE_FAILURE -> {
                val failure = Messages.parseFailure(frame) // a malformed payload breaks the channel, call still in flight
                val call = answered(worker, frame.id) ?: return
                val error = try {
                    RemoteFailures.rebuild(failure, call.encoded.description, config.maxFrameSize, javaClass.classLoader)
                } catch (e: Throwable) {
                    RemoteTaskException(failure.className, failure.message, e)
                }
                call.deferred.completeExceptionally(error)
            }
            Protocol.TYPE_CANCELLED -> answered(worker, frame.id)?.deferred?.cancel()
            Protocol.TYPE_FATAL -> worker.fatal = frame.body.toString(Charsets.UTF_8)
            Protocol.TYPE_SIDE -> {
                val (topic, payload) = Messages.parseSide(frame)
                config.extensions.forEach { ext ->
                    runCatching { ext.onMessage(worker.info, topic, payload) }
                        .onFailure { System.err.println("asynccpu: extension ${ext.name} failed: $it") }
                }
            }
            else -> throw ProtocolException(
                "unexpected ${Protocol.typeName(frame.type)} frame from a worker",
            )
        }
    }

    private fun onHello(worker: WorkerHandle, frame: Frame) {
        worker.hello = Messages.parseHello(frame)
        lock.withLock {
            startFailures = 0
            dispatchLocked()
        }
        val channel = SideChannel { topic, payload -> worker.writer.send(Messages.side(topic, payload)) }
        config.extensions.forEach { ext ->
            runCatching { ext.onWorkerStarted(worker.info, channel) }
                .onFailure { System.err.println("asynccpu: extension ${ext.name} failed: $it") }
        }
    }

    private fun onResult(worker: WorkerHandle, frame: Frame) {
        val runNanos = Messages.resultRunNanos(frame)
        val average = averageRunNanos
        averageRunNanos = if (average < 0) runNanos.toDouble() else average * 0.9 + runNanos * 0.1
        val call = answered(worker, frame.id) ?: return
        // The call is no longer in flight: whatever happens now (even an OutOfMemoryError), it must be answered here.
        val value = try {
            ProtocolCbor.decodeFromByteArray(call.encoded.resultSerializer, Messages.resultBody(frame))
        } catch (e: Throwable) {
            val hint = if (e is OutOfMemoryError) " (the caller's heap is too small for this result)" else ""
            call.deferred.completeExceptionally(
                TaskEncodingException("The result of ${call.encoded.description} could not be decoded$hint: $e", e),
            )
            if (e is VirtualMachineError && e !is OutOfMemoryError) throw e
            return
        }
        call.deferred.complete(value)
    }

    /** Removes the answered call from the worker's in-flight set and refills the worker. */
    private fun answered(worker: WorkerHandle, id: Long): Call? = lock.withLock {
        val call = worker.inFlight.remove(id)
        dispatchLocked()
        call
    }

    // ---- cancellation ----

    private fun onCancelled(call: Call) {
        lock.withLock {
            if (pending.remove(call)) {
                changed.signalAll()
                return
            }
            val worker = call.worker ?: return
            if (!worker.inFlight.containsKey(call.id) || call.cancelSent) return
            call.cancelSent = true
            worker.writer.send(Messages.control(Protocol.TYPE_CANCEL, call.id))
        }
        Timers.schedule(config.cancelGracePeriod.inWholeMilliseconds) {
            val stillRunning = lock.withLock { call.worker?.inFlight?.containsKey(call.id) == true }
            if (stillRunning) {
                call.worker?.kill(
                    "${call.encoded.description} did not stop within the cancel grace period " +
                        "(${config.cancelGracePeriod})",
                )
            }
        }
    }

    // ---- worker exits ----

    fun onWorkerGone(worker: WorkerHandle, exit: WorkerExit) {
        val crashed: List<Call>
        lock.withLock {
            workers.remove(worker)
            worker.accepting = false
            val calls = worker.inFlight.values.toList()
            worker.inFlight.clear()
            if (worker.hello == null && !closing) {
                // It never started: nothing ran on it. Requeue, unless workers keep failing to start. A worker
                // killed before its HELLO (by the pool, or by a signal from outside) did not fail to start.
                crashed = emptyList()
                calls.reversed().forEach { pending.addFirst(it) }
                val killed = worker.killReason != null || exit.exitCode == 128 + 9 || exit.exitCode == 128 + 15
                if (!killed && ++startFailures >= MAX_START_FAILURES) breakLocked(crashException(worker, exit, null))
            } else {
                // The worker runs requests in the order it got them; those past its running slots never started.
                crashed = calls.take(config.tasksPerWorker)
                calls.drop(config.tasksPerWorker).reversed().forEach { pending.addFirst(it) }
            }
            crashed.forEach { it.worker = null }
            if (!closing && config.startEagerly && broken == null) {
                while (workers.size < config.maxWorkers) spawnLocked()
            }
            dispatchLocked()
        }
        crashed.forEach { call -> call.deferred.completeExceptionally(crashException(worker, exit, call)) }
        config.extensions.forEach { ext -> runCatching { ext.onWorkerStopped(worker.info) } }
    }

    private fun breakLocked(cause: WorkerCrashedException) {
        broken = cause
        val failed = pending.toList()
        pending.clear()
        failed.forEach { it.deferred.completeExceptionally(brokenException(cause)) }
    }

    private fun brokenException(cause: Throwable) = BrokenPoolException(
        "ProcessPool '${config.name}' is broken: $MAX_START_FAILURES workers in a row failed to start. " +
            "Check jvmArgs, javaHome and classpath (the cause has the last worker's output), then create a new pool.",
        cause,
    )

    private fun crashException(worker: WorkerHandle, exit: WorkerExit, call: Call?): WorkerCrashedException {
        val code = exit.exitCode
        val signal = if (code != null && code > 128 && code - 128 <= 64) code - 128 else null
        val how = when {
            worker.killReason != null -> "was killed by the pool: ${worker.killReason}"
            worker.fatal != null -> "hit a fatal error: ${worker.fatal}"
            exit.cause is ProtocolException ->
                "sent a malformed frame (${exit.cause.message}), so the pool killed it"
            signal != null -> "was killed by signal $signal${signalName(signal)} (exit code $code)"
            code != null -> "exited with code $code"
            exit.cause != null -> "broke its channel: ${exit.cause}"
            else -> "stopped"
        }
        val what = if (call != null) " while running ${call.encoded.description}" else " before it could run a task"
        val output = if (exit.lastOutput.isEmpty()) " It wrote nothing to stdout or stderr." else
            " Last output:\n  " + exit.lastOutput.joinToString("\n  ")
        val retry = if (call != null) " The task was not retried; resubmit it if it is safe to run again." else ""
        return WorkerCrashedException(
            "Worker ${worker.id} (pid ${worker.info.pid}) $how$what.$retry$output",
            worker.id,
            worker.info.pid,
            code,
            signal,
            exit.lastOutput,
            exit.cause,
        )
    }

    private fun signalName(signal: Int) = when (signal) {
        9 -> " (SIGKILL)"
        15 -> " (SIGTERM)"
        6 -> " (SIGABRT)"
        11 -> " (SIGSEGV)"
        else -> ""
    }

    // ---- closing ----

    override fun close() {
        val toStop: List<WorkerHandle>
        lock.withLock {
            if (closed) return
            if (closing) {
                while (!closed) changed.await()
                return
            }
            closing = true
        }
        if (config.cancelPendingOnClose) {
            val all = lock.withLock { pending.toList() + workers.flatMap { it.inFlight.values } }
            all.forEach { it.deferred.cancel(CancellationException("ProcessPool '${config.name}' was closed")) }
        }
        lock.withLock {
            while (pending.isNotEmpty() || workers.any { it.inFlight.isNotEmpty() }) changed.await()
            toStop = workers.toList()
            toStop.forEach { it.accepting = false }
        }
        toStop.forEach { it.shutdown() }
        val deadline = System.nanoTime() + config.shutdownTimeout.inWholeNanoseconds
        toStop.forEach { w ->
            val left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()).coerceAtLeast(0)
            if (!w.awaitExit(left)) w.kill("did not exit within shutdownTimeout after close()")
            w.awaitExit(EXIT_AFTER_KILL_MILLIS)
        }
        launcher.close()
        PoolRegistry.unregister(this)
        lock.withLock {
            closed = true
            changed.signalAll()
        }
    }

    /** Called from the JVM shutdown hook: stop every worker now. */
    fun killWorkers() {
        val all = lock.withLock { workers.toList() }
        all.forEach { it.writer.close() }
        all.forEach { it.kill("the caller's JVM is shutting down") }
    }

    override fun toString(): String = "ProcessPool(${config.name})"

    private companion object {
        const val MAX_START_FAILURES = 3
        const val PREFETCH = 64
        const val PREFETCH_BELOW_NANOS = 2_000_000.0
        const val RUN_HEAD_ALLOWANCE = 64L
        const val EXIT_AFTER_KILL_MILLIS = 2_000L
        const val NOOP_TOPIC = "asynccpu.noop"
    }
}
