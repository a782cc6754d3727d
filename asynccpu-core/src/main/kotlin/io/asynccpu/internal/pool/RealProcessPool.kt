package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.FrameTooLargeException
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.JavaTask
import io.asynccpu.PoolClosedException
import io.asynccpu.PoolEvent
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.ProcessTask
import io.asynccpu.Progress
import io.asynccpu.RemoteTaskException
import io.asynccpu.StreamingTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.TrackedTask
import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerReport
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.codec.StreamCodec
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.codec.WireFailures
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.ProtocolException
import io.asynccpu.spi.EncodedFailureException
import io.asynccpu.spi.EncodedTask
import io.asynccpu.spi.EncodedTaskSubmitter
import io.asynccpu.spi.SideChannel
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.flow
import java.lang.ref.WeakReference
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.reflect.KFunction

/**
 * The [ProcessPool] implementation: a queue of pending calls, a set of [WorkerHandle]s, and the
 * scheduling between them (least-loaded dispatch, on-demand spawning, worker setup and retirement,
 * cancellation, crash handling).
 *
 * A worker's life: spawned (its first frame starts the process) → setup requests run one at a time
 * (initializer, sticky broadcasts; none by default) → ready: tasks are sent to it → retired gracefully
 * (idle, recycled, pool closed: finalizer, then SHUTDOWN) or gone (crashed, killed). Without setup
 * requests a worker is ready at once and its first tasks travel with the JVM start.
 *
 * All scheduling state is guarded by [lock]; nothing under the lock blocks on I/O (frames are queued
 * to writer threads, processes start on those threads, events never suspend).
 */
@OptIn(InternalAsyncCpuApi::class)
internal class RealProcessPool(override val config: ProcessPoolConfig) : ProcessPool, EncodedTaskSubmitter {
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private val pending = ArrayDeque<Call>()
    private val workers = ArrayList<WorkerHandle>()
    private val launcher = WorkerLauncher(config)
    private val callIds = AtomicLong()
    private val bus = PoolEvents()
    private val telemetry = PoolTelemetry(config.name)
    private var workerIds = 0
    private var closing = false
    private var closed = false
    private var broken: Throwable? = null
    private var startFailures = 0

    /** Broadcasts replayed as setup requests in every worker spawned later. Guarded by [lock]. */
    private val stickyBroadcasts = ArrayList<EncodedCall>()
    private val initializer: EncodedCall? = config.initializer?.let { TaskCodec.encodeTask(it) }
    private val finalizer: EncodedCall? = config.finalizer?.let { TaskCodec.encodeTask(it) }

    /** Moving average of task run time in the workers, or -1 before the first result. */
    @Volatile private var averageRunNanos = -1.0

    init {
        PoolRegistry.register(this)
        lock.withLock {
            val initial = if (config.startEagerly) config.maxWorkers else config.minWorkers
            repeat(initial) { spawnLocked() }
        }
        if (config.idleTimeout.isFinite()) scheduleIdleSweep(WeakReference(this))
    }

    // ---- submitting ----

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

    override fun <R> submitWithProgress(task: ProcessTask<R>): TrackedTask<R> {
        checkOpen()
        return track(TaskCodec.encodeTask(task))
    }

    override fun <I, O> submitWithProgress(taskClass: Class<out JavaTask<I, O>>, input: I): TrackedTask<O> {
        checkOpen()
        return track(TaskCodec.encodeJavaTask(taskClass, input))
    }

    private fun <R> track(encoded: EncodedCall): TrackedTask<R> {
        val progress = Call.progressChannel()
        var id = 0L
        val deferred = enqueue<R>(encoded) {
            it.progress = progress
            id = it.id
        }
        return TrackedTask(deferred, progress.consumeAsFlow(), id)
    }

    override fun <R> submitTo(worker: WorkerInfo, task: ProcessTask<R>): Deferred<R> {
        checkOpen()
        val encoded = TaskCodec.encodeTask(task)
        checkSize(encoded)
        val call = Call(callIds.incrementAndGet(), encoded)
        call.runHead = RequestContexts.runHead(config.extensions, encoded.header)
        TaskIds.record(call.id)
        lock.withLock {
            checkOpen()
            broken?.let { throw brokenException(it) }
            val target = workers.firstOrNull { it.id == worker.id && !it.retiring && !it.removed }
                ?: throw NoSuchElementException(
                    "$worker is not a live worker of ProcessPool '${config.name}' (it retired or crashed); " +
                        "see workerReports() for the live ones.",
                )
            call.pinnedTo = target
            watch(call)
            telemetry.taskSubmitted(call)
            bus.emit { PoolEvent.TaskQueued(call.id, encoded.description) }
            if (target.ready) sendLocked(target, call) else target.pinned.addLast(call)
        }
        @Suppress("UNCHECKED_CAST")
        return call.deferred as Deferred<R>
    }

    override fun <T> stream(task: StreamingTask<T>, buffer: Int): Flow<T> {
        require(buffer >= 1) { "buffer must be at least 1, was $buffer" }
        checkOpen()
        val encoded = StreamCodec.encode(task)
        return flow {
            val call = enqueueCall(encoded) { it.stream = StreamReceiver(buffer) }
            val receiver = call.stream!!
            var consumed = 0
            try {
                for (item in receiver.items) {
                    @Suppress("UNCHECKED_CAST")
                    emit(item as T)
                    if (++consumed >= (buffer + 1) / 2) {
                        grantCredit(call, consumed)
                        consumed = 0
                    }
                }
            } finally {
                // The collector stopped early (cancelled, take(n), an exception downstream): cancel remotely.
                if (!call.deferred.isCompleted) call.deferred.cancel()
            }
        }
    }

    /** Submits an already encoded call (map chunks, raw calls from another process); never blocks. */
    override fun submitEncoded(task: EncodedTask): Deferred<Any?> {
        checkOpen()
        return enqueue(task.call)
    }

    private fun grantCredit(call: Call, items: Int) {
        lock.withLock {
            val worker = call.worker ?: return
            if (worker.inFlight.containsKey(call.id)) worker.writer.send(FlowMessages.credit(call.id, items))
        }
    }

    private fun checkOpen() {
        if (closing) throw PoolClosedException("ProcessPool '${config.name}' is closed: create a new pool to run more tasks.")
    }

    private fun checkSize(encoded: EncodedCall) {
        val size = encoded.body.size.toLong() + RUN_HEAD_ALLOWANCE + encoded.header.className.length
        if (size > config.maxFrameSize) {
            throw FrameTooLargeException(
                "${encoded.description} encodes to $size bytes, above maxFrameSize (${config.maxFrameSize} bytes): " +
                    "raise maxFrameSize in the pool configuration, or pass large data by reference (a file path).",
                size,
                config.maxFrameSize,
            )
        }
    }

    private fun <R> enqueue(encoded: EncodedCall, prepare: ((Call) -> Unit)? = null): Deferred<R> {
        @Suppress("UNCHECKED_CAST")
        return enqueueCall(encoded, prepare).deferred as Deferred<R>
    }

    private fun enqueueCall(encoded: EncodedCall, prepare: ((Call) -> Unit)? = null): Call {
        checkSize(encoded)
        val call = Call(callIds.incrementAndGet(), encoded)
        call.runHead = RequestContexts.runHead(config.extensions, encoded.header)
        TaskIds.record(call.id)
        prepare?.invoke(call)
        lock.withLock {
            checkOpen()
            broken?.let { throw brokenException(it) }
            telemetry.taskSubmitted(call)
            bus.emit { PoolEvent.TaskQueued(call.id, encoded.description) }
            pending.addLast(call)
            dispatchLocked()
        }
        watch(call)
        return call
    }

    /** Reacts to the end of a caller's call: remote cancellation, events, closing side flows. */
    private fun watch(call: Call) {
        call.deferred.invokeOnCompletion { cause ->
            if (cause is CancellationException) onCancelled(call)
            call.stream?.items?.close(cause)
            call.progress?.close()
            if (call.kind == Call.TASK) {
                telemetry.taskFinished(call, cause)
                bus.taskFinished(call, cause)
            }
        }
    }

    // ---- scheduling (all under lock) ----

    private fun dispatchLocked() {
        for (worker in workers) {
            if (!worker.ready) continue
            while (worker.pinned.isNotEmpty()) {
                val call = worker.pinned.removeFirst()
                if (!call.deferred.isCompleted) sendLocked(worker, call)
            }
        }
        while (pending.isNotEmpty()) {
            val worker = pickWorkerLocked() ?: break
            val call = pending.removeFirst()
            if (call.deferred.isCompleted) continue
            sendLocked(worker, call)
        }
        changed.signalAll()
    }

    private fun sendLocked(worker: WorkerHandle, call: Call) {
        call.worker = worker
        call.lastWorker = worker
        call.dispatchedAt = System.nanoTime()
        worker.inFlight[call.id] = call
        if (call.kind == Call.TASK) {
            worker.tasksDispatched++
            telemetry.taskStarted(call, worker)
            bus.emit { PoolEvent.TaskStarted(call.id, call.encoded.description, worker.info) }
        }
        val head = call.runHead ?: call.encoded.header.runHead()
        worker.writer.send(Messages.run(call.id, head, call.encoded.body))
        call.stream?.let { worker.writer.send(FlowMessages.credit(call.id, it.window)) }
    }

    private fun pickWorkerLocked(): WorkerHandle? {
        var best: WorkerHandle? = null
        var starting = 0
        for (w in workers) {
            if (!w.ready) {
                if (!w.removed && !w.retiring && !w.setupFailed) starting++
                continue
            }
            if (w.accepting && belowTaskLimit(w) && (best == null || w.inFlight.size < best.inFlight.size)) best = w
        }
        if (best != null && best.inFlight.size < config.tasksPerWorker) return best
        if (broken == null && !closing && workers.size < config.maxWorkers && starting * config.tasksPerWorker < pending.size) {
            val spawned = spawnLocked()
            if (spawned.ready) return spawned
        }
        if (best != null && best.inFlight.size < capacity(best)) return best
        return null
    }

    private fun belowTaskLimit(worker: WorkerHandle): Boolean =
        config.maxTasksPerWorker == 0 || worker.tasksDispatched < config.maxTasksPerWorker

    /**
     * Requests a worker may hold: its running slots, plus a prefetch window when tasks are short (a
     * wide one below 2 ms, one more round of slots below 50 ms). A queued request starts the moment
     * the previous one ends; without it, each task waits for a round trip through both processes'
     * reader and writer threads, and on a machine whose cores are all busy running tasks each of those
     * wake-ups can wait for a scheduler time slice (W3: 1-3 ms gaps between 2 ms tasks). Long tasks
     * get no prefetch, so a task never waits behind a long one while another worker is free.
     * A worker never holds more than it may still run under maxTasksPerWorker.
     */
    private fun capacity(worker: WorkerHandle): Int {
        val average = averageRunNanos
        var capacity = if (worker.hello == null || average < 0) {
            config.tasksPerWorker
        } else {
            config.tasksPerWorker + when {
                average < PREFETCH_BELOW_NANOS -> PREFETCH
                average < PREFETCH_ONE_BELOW_NANOS -> config.tasksPerWorker
                else -> 0
            }
        }
        if (config.maxTasksPerWorker > 0) {
            capacity = capacity.coerceAtMost(config.maxTasksPerWorker - worker.tasksDispatched + worker.inFlight.size)
        }
        return capacity
    }

    private fun spawnLocked(): WorkerHandle {
        val worker = WorkerHandle(++workerIds, this, launcher)
        workers += worker
        // Writing the first frame starts the process; this no-op frame does it even with nothing to run yet.
        worker.writer.send(Messages.side(NOOP_TOPIC, Frame.EMPTY))
        initializer?.let { worker.setup.addLast(Call(callIds.incrementAndGet(), it, Call.SETUP)) }
        stickyBroadcasts.forEach { worker.setup.addLast(Call(callIds.incrementAndGet(), it, Call.SETUP)) }
        if (worker.setup.isEmpty()) worker.ready = true else sendNextSetupLocked(worker)
        return worker
    }

    private fun sendNextSetupLocked(worker: WorkerHandle) {
        val call = worker.setup.removeFirst()
        call.pinnedTo = worker
        call.deferred.invokeOnCompletion { cause -> onSetupAnswered(worker, call, cause) }
        sendLocked(worker, call)
    }

    private fun onSetupAnswered(worker: WorkerHandle, call: Call, cause: Throwable?) {
        lock.withLock {
            if (worker.removed || worker.setupFailed) return
            if (cause == null || cause is CancellationException) {
                if (worker.setup.isNotEmpty()) {
                    sendNextSetupLocked(worker)
                } else {
                    worker.ready = true
                    if (worker.hello != null) markStartedLocked(worker)
                    dispatchLocked()
                }
                return
            }
            worker.setupFailed = true
            worker.accepting = false
            telemetry.workerRetired(PoolEvent.WorkerRetired.Reason.SETUP_FAILED)
            bus.emit { PoolEvent.WorkerRetired(worker.info, PoolEvent.WorkerRetired.Reason.SETUP_FAILED) }
            worker.started.completeExceptionally(cause)
            if (++startFailures >= config.maxStartAttempts && broken == null) {
                breakLocked(cause, "the setup of ${call.encoded.description} failed")
            }
        }
        worker.kill("${call.encoded.description} failed while setting up the worker")
    }

    /**
     * The worker serves: its JVM answered and its setup is done. Its idle clock starts now, not when it
     * was spawned, so a JVM start longer than `idleTimeout` does not retire a worker before it served.
     * A worker already retiring (the pool closed before it came up) gets no WorkerStarted event, so that
     * event never follows its WorkerRetired.
     */
    private fun markStartedLocked(worker: WorkerHandle) {
        if (worker.started.isCompleted) return
        startFailures = 0
        worker.idleSince = System.nanoTime()
        worker.started.complete(Unit)
        if (!worker.retiring) {
            telemetry.workerStarted(worker)
            bus.emit { PoolEvent.WorkerStarted(worker.info) }
        }
    }

    // ---- frames from workers (reader threads) ----

    fun onFrame(worker: WorkerHandle, frame: Frame) {
        when (frame.type) {
            Protocol.TYPE_HELLO -> onHello(worker, frame)
            Protocol.TYPE_RESULT -> onResult(worker, frame)
            Protocol.TYPE_FAILURE -> {
                val failure = Messages.parseFailure(frame) // a malformed payload breaks the channel, call still in flight
                val call = answered(worker, frame.id) ?: return
                if (call.encoded.raw) {
                    call.deferred.completeExceptionally(EncodedFailureException(WireFailures.ofFailureBody(frame.body)))
                    return
                }
                val error = try {
                    RemoteFailures.rebuild(failure, call.encoded.description, config.maxFrameSize, javaClass.classLoader)
                } catch (e: Throwable) {
                    RemoteTaskException(failure.className, failure.message, e)
                }
                call.deferred.completeExceptionally(error)
            }
            Protocol.TYPE_CANCELLED -> answered(worker, frame.id)?.deferred?.cancel()
            Protocol.TYPE_STREAM_ITEM -> onStreamItem(worker, frame)
            Protocol.TYPE_STREAM_END -> answered(worker, frame.id)?.deferred?.complete(null)
            Protocol.TYPE_PROGRESS -> {
                val call = lock.withLock { worker.inFlight[frame.id] } ?: return
                val channel = call.progress ?: return
                val report = FlowMessages.parseProgress(frame)
                channel.trySend(Progress(report.value, report.message))
            }
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
            if (worker.ready) markStartedLocked(worker)
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
        call.runNanos = runNanos
        if (call.encoded.raw) {
            call.deferred.complete(Messages.resultBody(frame))
            return
        }
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

    private fun onStreamItem(worker: WorkerHandle, frame: Frame) {
        val call = lock.withLock { worker.inFlight[frame.id] } ?: return
        val receiver = call.stream ?: throw ProtocolException("STREAM_ITEM for request ${frame.id}, which is not a stream")
        val item = try {
            ProtocolCbor.decodeFromByteArray(call.encoded.resultSerializer, frame.body)
        } catch (e: Exception) {
            call.deferred.completeExceptionally(
                TaskEncodingException("An item of ${call.encoded.description} could not be decoded: $e", e),
            )
            cancelRemotely(call)
            return
        }
        receiver.items.trySend(item)
    }

    /** Removes the answered call from the worker's in-flight set, retires or refills the worker. */
    private fun answered(worker: WorkerHandle, id: Long): Call? = lock.withLock {
        val call = worker.inFlight.remove(id)
        if (call != null) worker.tasksDone++
        if (worker.inFlight.isEmpty()) {
            worker.idleSince = System.nanoTime()
            if (!worker.retiring && worker.ready && !belowTaskLimit(worker) && worker.pinned.isEmpty()) {
                retireLocked(worker, PoolEvent.WorkerRetired.Reason.RECYCLED)
            }
        }
        if (worker.moreFramesBuffered) worker.dispatchDeferred = true else dispatchLocked()
        call
    }

    /** Hands pending requests to workers (a reader thread, after a batch of answers). */
    fun dispatch() = lock.withLock { dispatchLocked() }

    // ---- cancellation ----

    private fun onCancelled(call: Call) {
        lock.withLock {
            if (pending.remove(call)) {
                changed.signalAll()
                return
            }
            val pinnedTo = call.pinnedTo
            if (pinnedTo != null && (pinnedTo.pinned.remove(call) || pinnedTo.setup.remove(call))) return
        }
        cancelRemotely(call)
    }

    /** Sends CANCEL for an in-flight call, and kills its worker if it is still running after the grace period. */
    private fun cancelRemotely(call: Call) {
        lock.withLock {
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

    // ---- retirement and worker exits ----

    /** Asks [worker] to exit gracefully: no more requests, its finalizer, then SHUTDOWN. */
    private fun retireLocked(worker: WorkerHandle, reason: PoolEvent.WorkerRetired.Reason) {
        if (worker.retiring || worker.removed) return
        worker.retiring = true
        worker.accepting = false
        telemetry.workerRetired(reason)
        bus.emit { PoolEvent.WorkerRetired(worker.info, reason) }
        if (finalizer != null && worker.ready && worker.hello != null) {
            val call = Call(callIds.incrementAndGet(), finalizer, Call.FINALIZER)
            call.pinnedTo = worker
            call.deferred.invokeOnCompletion { cause ->
                if (cause != null && cause !is CancellationException) {
                    System.err.println("asynccpu: the finalizer failed in ${worker.info}: $cause")
                }
            }
            sendLocked(worker, call)
        }
        worker.shutdown()
    }

    private fun scheduleIdleSweep(pool: WeakReference<RealProcessPool>) {
        val period = (config.idleTimeout.inWholeMilliseconds / 4).coerceIn(MIN_SWEEP_MILLIS, MAX_SWEEP_MILLIS)
        Timers.schedule(period) {
            val self = pool.get()
            if (self != null && !self.closing) {
                self.retireIdleWorkers()
                self.scheduleIdleSweep(pool)
            }
        }
    }

    private fun retireIdleWorkers() = lock.withLock {
        if (closing || pending.isNotEmpty()) return
        val now = System.nanoTime()
        val timeout = config.idleTimeout.inWholeNanoseconds
        for (worker in workers.toList()) {
            val active = workers.count { !it.retiring && !it.removed && !it.setupFailed }
            if (active <= config.minWorkers) return
            val idle = worker.serving && !worker.retiring && worker.inFlight.isEmpty() && worker.pinned.isEmpty()
            if (idle && now - worker.idleSince >= timeout) retireLocked(worker, PoolEvent.WorkerRetired.Reason.IDLE)
        }
    }

    fun onWorkerGone(worker: WorkerHandle, exit: WorkerExit) {
        val crashed = ArrayList<Call>()
        val graceful: Boolean
        var crashError: io.asynccpu.WorkerCrashedException? = null
        lock.withLock {
            workers.remove(worker)
            worker.removed = true
            worker.accepting = false
            val calls = worker.inFlight.values.toList()
            worker.inFlight.clear()
            crashed += worker.pinned
            crashed += worker.setup
            worker.pinned.clear()
            worker.setup.clear()
            graceful = worker.retiring && worker.killReason == null && exit.exitCode == 0
            val neverServed = worker.hello == null || !worker.ready
            if (worker.setupFailed) {
                crashed += calls // already counted as a start failure when its setup failed
            } else if (neverServed && !closing) {
                // Nothing of the callers' ran on it: requeue their tasks, unless workers keep failing to start.
                val (movable, fixed) = calls.partition { it.kind == Call.TASK && it.pinnedTo == null }
                movable.reversed().forEach { pending.addFirst(it) }
                crashed += fixed
                // A worker killed before its HELLO (by the pool, or by a signal from outside) did not fail to start.
                val killed = worker.killReason != null || exit.exitCode == 128 + 9 || exit.exitCode == 128 + 15
                if (!killed && ++startFailures >= config.maxStartAttempts && broken == null) {
                    crashError = CrashReports.crashException(worker, exit, null)
                    breakLocked(crashError!!, "$startFailures workers in a row failed to start")
                }
            } else {
                // The worker runs requests in the order it got them; those past its running slots never started.
                val running = calls.take(config.tasksPerWorker)
                crashed += running
                for (call in calls.drop(config.tasksPerWorker).reversed()) {
                    if (call.kind == Call.TASK && call.pinnedTo == null) pending.addFirst(call) else crashed += call
                }
            }
            crashed.forEach { it.worker = null }
            refillLocked()
            dispatchLocked()
        }
        val error = crashError ?: CrashReports.crashException(worker, exit, null)
        worker.started.completeExceptionally(error) // (no effect once it had started)
        if (!graceful && !worker.setupFailed) {
            telemetry.workerCrashed(worker, error)
            bus.emit { PoolEvent.WorkerCrashed(worker.info, error) }
        }
        crashed.forEach { call -> call.deferred.completeExceptionally(CrashReports.crashException(worker, exit, call)) }
        config.extensions.forEach { ext -> runCatching { ext.onWorkerStopped(worker.info) } }
    }

    /** Starts workers up to the floor: [ProcessPoolConfig.minWorkers] (all of them for an eager pool that never shrinks). */
    private fun refillLocked() {
        if (closing || broken != null) return
        val floor = if (config.startEagerly && config.idleTimeout.isInfinite()) config.maxWorkers else config.minWorkers
        while (workers.size < config.maxWorkers && workers.count { !it.retiring && !it.setupFailed } < floor) spawnLocked()
    }

    private fun breakLocked(cause: Throwable, why: String) {
        broken = cause
        bus.emit { PoolEvent.PoolBroken(cause) }
        val failed = pending.toList()
        pending.clear()
        brokenWhy = why
        failed.forEach { it.deferred.completeExceptionally(brokenException(cause)) }
    }

    private var brokenWhy = ""

    private fun brokenException(cause: Throwable) = BrokenPoolException(
        "ProcessPool '${config.name}' is broken: $brokenWhy (${config.maxStartAttempts} attempts). " +
            "The cause is the last failure. Fix the initializer or the JVM settings (jvmArgs, javaHome, classpath), " +
            "then call restore() or create a new pool.",
        cause,
    )

    // ---- management ----

    override val events: SharedFlow<PoolEvent> get() = bus.events

    override fun stats(): PoolStats = lock.withLock {
        val ready = workers.filter { it.serving && !it.retiring }
        val c = telemetry.counters
        PoolStats(
            workers = workers.size,
            startingWorkers = workers.count { !it.serving && !it.setupFailed },
            busyWorkers = ready.count { it.inFlight.isNotEmpty() },
            idleWorkers = ready.count { it.inFlight.isEmpty() },
            pendingTasks = pending.size + workers.sumOf { it.pinned.size },
            runningTasks = workers.sumOf { w -> w.inFlight.values.count { it.kind == Call.TASK } },
            tasksSubmitted = c.submitted.sum(),
            tasksStarted = c.started.sum(),
            tasksSucceeded = c.succeeded.sum(),
            tasksFailed = c.failed.sum(),
            tasksFailedEncoding = c.failedEncoding.sum(),
            tasksCrashed = c.crashed.sum(),
            tasksCancelled = c.cancelled.sum(),
            totalQueueNanos = c.queueNanos.sum(),
            totalRunNanos = c.runNanos.sum(),
            tasksTimed = c.timedRuns.sum(),
            workersStartedTotal = c.workersStarted.sum(),
            workersCrashedTotal = c.workersCrashed.sum(),
            workersRetiredTotal = c.workersRetired.sum(),
            workersRecycledTotal = c.workersRecycled.sum(),
        )
    }

    override fun workerReports(): List<WorkerReport> {
        val snapshot = lock.withLock { workers.map { Triple(it, it.inFlight.size, it.serving) } }
        return snapshot.map { (w, inFlight, ready) ->
            val pid = w.info.pid
            WorkerReport(
                worker = w.info,
                tasksDone = w.tasksDone,
                tasksInFlight = inFlight,
                ready = ready,
                cpuTime = if (pid > 0) ResourceProbe.cpuTime(pid) else null,
                residentMemoryBytes = if (pid > 0) ResourceProbe.residentBytes(pid) else null,
            )
        }
    }

    override suspend fun warmUp(workers: Int) {
        require(workers >= 0) { "workers must not be negative, was $workers" }
        val targets = lock.withLock {
            checkOpen()
            broken?.let { throw brokenException(it) }
            val wanted = workers.coerceAtMost(config.maxWorkers)
            while (this.workers.size < config.maxWorkers && this.workers.count { !it.retiring && !it.setupFailed } < wanted) {
                spawnLocked()
            }
            this.workers.filter { !it.retiring && !it.setupFailed }.take(wanted)
        }
        targets.map { it.started }.awaitAll()
    }

    override fun check() {
        checkOpen()
        lock.withLock { broken }?.let { throw brokenException(it) }
    }

    override suspend fun test() {
        checkOpen()
        PoolProbe.test(config)
    }

    override fun restore() {
        lock.withLock {
            checkOpen()
            broken = null
            startFailures = 0
            refillLocked()
            dispatchLocked()
        }
    }

    override suspend fun <R> broadcast(task: ProcessTask<R>, toLaterWorkers: Boolean): List<R> {
        checkOpen()
        val encoded = TaskCodec.encodeTask(task)
        checkSize(encoded)
        val calls = lock.withLock {
            checkOpen()
            broken?.let { throw brokenException(it) }
            if (toLaterWorkers) stickyBroadcasts += encoded
            workers.filter { !it.retiring && !it.removed && !it.setupFailed }.map { worker ->
                val call = Call(callIds.incrementAndGet(), encoded, if (worker.ready) Call.BROADCAST else Call.SETUP)
                call.pinnedTo = worker
                watch(call)
                if (worker.ready) {
                    sendLocked(worker, call)
                } else {
                    call.deferred.invokeOnCompletion { cause -> onSetupAnswered(worker, call, cause) }
                    worker.setup.addLast(call)
                }
                call
            }
        }
        try {
            @Suppress("UNCHECKED_CAST")
            return calls.map { it.deferred }.awaitAll() as List<R>
        } catch (e: CancellationException) {
            calls.forEach { it.deferred.cancel(e) }
            throw e
        }
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
        if (config.cancelPendingOnClose || cancelOnClose) cancelAll("ProcessPool '${config.name}' was closed")
        lock.withLock {
            while (pending.isNotEmpty() || workers.any { it.inFlight.isNotEmpty() || it.pinned.isNotEmpty() }) changed.await()
            toStop = workers.toList()
            toStop.forEach { retireLocked(it, PoolEvent.WorkerRetired.Reason.CLOSED) }
        }
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

    /** Set by `shutdownNow()` (see Shutdowns.kt): [close] cancels queued and running tasks. */
    @Volatile var cancelOnClose: Boolean = false

    /** Cancels every queued and running call (their `Deferred`s, and so the remote runs). */
    fun cancelAll(reason: String) {
        val all = lock.withLock { pending.toList() + workers.flatMap { it.inFlight.values + it.pinned } }
        all.forEach { it.deferred.cancel(CancellationException(reason)) }
    }

    /** Kills every worker still alive, failing what it runs with [io.asynccpu.WorkerCrashedException]. */
    fun killAll(reason: String) {
        lock.withLock { workers.toList() }.forEach { if (it.isAlive()) it.kill(reason) }
    }

    override suspend fun shutdown() = Shutdowns.shutdown(this)

    override suspend fun shutdownNow() = Shutdowns.shutdownNow(this)

    /**
     * Called from the JVM shutdown hook (the program exits, or Ctrl-C): queued and running tasks are
     * cancelled with [CancellationException], then every worker's stdin is closed so it exits on its own
     * (flushing what it has, stopping the processes its tasks started); those still alive a moment later are killed.
     */
    fun killWorkers() {
        val calls = lock.withLock { pending.toList() + workers.flatMap { it.pinned + it.inFlight.values } }
        val reason = CancellationException("ProcessPool '${config.name}': the caller's JVM is shutting down")
        calls.forEach { it.deferred.cancel(reason) }
        val all = lock.withLock { workers.toList() }
        all.forEach { it.writer.close() }
        val deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOOK_GRACE_MILLIS)
        all.forEach { it.awaitExit(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()).coerceAtLeast(0)) }
        all.filter { it.isAlive() }.forEach { it.kill("the caller's JVM is shutting down") }
    }

    override fun toString(): String = "ProcessPool(${config.name})"

    private companion object {
        const val PREFETCH = 64
        const val PREFETCH_BELOW_NANOS = 2_000_000.0
        const val PREFETCH_ONE_BELOW_NANOS = 50_000_000.0
        const val RUN_HEAD_ALLOWANCE = 64L
        const val EXIT_AFTER_KILL_MILLIS = 2_000L
        const val HOOK_GRACE_MILLIS = 1_000L
        const val NOOP_TOPIC = "asynccpu.noop"
        const val MIN_SWEEP_MILLIS = 10L
        const val MAX_SWEEP_MILLIS = 1_000L
    }
}
