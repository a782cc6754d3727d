package io.asynccpu.internal.pool

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.JavaTask
import io.asynccpu.PoolEvent
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.ProcessTask
import io.asynccpu.StreamingTask
import io.asynccpu.TrackedTask
import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerReport
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.StreamCodec
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.spi.EncodedTask
import io.asynccpu.spi.EncodedTaskSubmitter
import java.lang.ref.WeakReference
import java.util.concurrent.ConcurrentHashMap
import kotlin.reflect.KFunction
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.consumeAsFlow
import kotlinx.coroutines.flow.flow

/**
 * The [ProcessPool] implementation, a facade: it encodes what callers submit (refusing it at once if it cannot travel
 * or is too large), hands requests to the [Scheduler], and wires the pieces together ([WorkerProcess]es reporting to
 * [WorkerInbox]es, [RemoteCancel], [PoolShutdown]). The scheduling rules live in the scheduler; ARCHITECTURE.md draws
 * the whole picture.
 */
@OptIn(InternalAsyncCpuApi::class)
internal class RealProcessPool(override val config: ProcessPoolConfig) : ProcessPool, EncodedTaskSubmitter {
    private val bus = PoolEvents()
    private val telemetry = PoolTelemetry(config.name)
    private val launcher = WorkerLauncher(config)
    private val processes: MutableSet<WorkerProcess> = ConcurrentHashMap.newKeySet()
    private val scheduler: Scheduler = Scheduler(config, bus, telemetry, ::openWorker, ::watch)
    private val remoteCancel = RemoteCancel(scheduler, config.cancelGracePeriod)
    private val shutdown = PoolShutdown(config, scheduler, processes, launcher)

    init {
        PoolRegistry.register(shutdown)
        scheduler.start()
        if (config.idleTimeout.isFinite()) {
            Retirement.scheduleIdleSweep(WeakReference(scheduler), config.idleTimeout.inWholeMilliseconds)
        }
    }

    private fun openWorker(scheduler: Scheduler, slot: WorkerSlot): WorkerPort {
        lateinit var process: WorkerProcess
        val inbox = WorkerInbox(slot, scheduler, config, remoteCancel) { processes.remove(process) }
        process = WorkerProcess(slot.id, config, launcher, inbox)
        processes += process
        inbox.created(process)
        return process
    }

    // ---- submitting ----

    override fun <R> submit(task: ProcessTask<R>): Deferred<R> {
        scheduler.checkOpen()
        return enqueue(TaskCodec.encodeTask(task))
    }

    override fun <I, O> submit(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O> {
        scheduler.checkOpen()
        return enqueue(TaskCodec.encodeJavaTask(taskClass, input))
    }

    override fun <R> submitFunction(function: KFunction<R>, args: List<Any?>): Deferred<R> {
        scheduler.checkOpen()
        return enqueue(TaskCodec.encodeFunction(function, args))
    }

    override fun <R> submitWithProgress(task: ProcessTask<R>): TrackedTask<R> {
        scheduler.checkOpen()
        return track(TaskCodec.encodeTask(task))
    }

    override fun <I, O> submitWithProgress(taskClass: Class<out JavaTask<I, O>>, input: I): TrackedTask<O> {
        scheduler.checkOpen()
        return track(TaskCodec.encodeJavaTask(taskClass, input))
    }

    private fun <R> track(encoded: EncodedCall): TrackedTask<R> {
        val progress = Request.progressChannel()
        var id = 0L
        val deferred =
            enqueue<R>(encoded) {
                it.progress = progress
                id = it.id
            }
        return TrackedTask(deferred, progress.consumeAsFlow(), id)
    }

    override fun <R> submitTo(worker: WorkerInfo, task: ProcessTask<R>): Deferred<R> {
        scheduler.checkOpen()
        val request = newRequest(TaskCodec.encodeTask(task))
        scheduler.enqueuePinned(worker.id, request) {
            throw NoSuchElementException(
                "$worker is not a live worker of ProcessPool '${config.name}' (it retired or crashed); " +
                    "see workerReports() for the live ones."
            )
        }
        @Suppress("UNCHECKED_CAST")
        return request.deferred as Deferred<R>
    }

    override fun <T> stream(task: StreamingTask<T>, buffer: Int): Flow<T> {
        require(buffer >= 1) { "buffer must be at least 1, was $buffer" }
        scheduler.checkOpen()
        val encoded = StreamCodec.encode(task)
        return flow {
            val request = enqueueRequest(encoded) { it.stream = StreamReceiver(buffer) }
            var consumed = 0
            try {
                for (item in request.stream!!.items) {
                    @Suppress("UNCHECKED_CAST") emit(item as T)
                    if (++consumed >= (buffer + 1) / 2) {
                        scheduler.grantCredit(request, consumed)
                        consumed = 0
                    }
                }
            } finally {
                // The collector stopped early (cancelled, take(n), an exception downstream): cancel remotely.
                if (!request.deferred.isCompleted) request.deferred.cancel()
            }
        }
    }

    /** Submits an already encoded call (map chunks, raw calls from another process); never blocks. */
    override fun submitEncoded(task: EncodedTask): Deferred<Any?> {
        scheduler.checkOpen()
        return enqueue(task.call)
    }

    private fun <R> enqueue(encoded: EncodedCall, prepare: ((Request) -> Unit)? = null): Deferred<R> {
        @Suppress("UNCHECKED_CAST")
        return enqueueRequest(encoded, prepare).deferred as Deferred<R>
    }

    private fun enqueueRequest(encoded: EncodedCall, prepare: ((Request) -> Unit)? = null): Request {
        val request = newRequest(encoded)
        prepare?.invoke(request)
        scheduler.enqueue(request)
        watch(request)
        return request
    }

    /** A caller's request for [encoded], with the request context the extensions capture on this thread. */
    private fun newRequest(encoded: EncodedCall): Request {
        val request = scheduler.newRequest(RunFrameSize.check(encoded, config.maxFrameSize))
        request.runHead = RequestContexts.runHead(config.extensions, encoded.header)
        TaskIds.record(request.id)
        return request
    }

    /** Reacts to the end of a caller's request: remote cancellation, events, closing side flows. */
    private fun watch(request: Request) {
        request.deferred.invokeOnCompletion { cause ->
            if (cause is CancellationException && !scheduler.withdraw(request)) remoteCancel.cancel(request)
            request.stream?.items?.close(cause)
            request.progress?.close()
            if (request.kind == Request.Kind.TASK) {
                telemetry.taskFinished(request, cause)
                bus.taskFinished(request, cause)
            }
        }
    }

    // ---- management ----

    override val events: SharedFlow<PoolEvent>
        get() = bus.events

    override fun stats(): PoolStats = scheduler.stats()

    override fun workerReports(): List<WorkerReport> =
        scheduler.slotSnapshot().map { (slot, inFlight, ready) -> PoolSnapshots.report(slot, inFlight, ready) }

    override suspend fun warmUp(workers: Int) {
        require(workers >= 0) { "workers must not be negative, was $workers" }
        scheduler.warmUp(workers).awaitAll()
    }

    override fun check() {
        scheduler.checkOpen()
        scheduler.checkBroken()
    }

    override suspend fun test() {
        scheduler.checkOpen()
        PoolProbe.test(config)
    }

    override fun restore() = scheduler.restore()

    override suspend fun <R> broadcast(task: ProcessTask<R>, toLaterWorkers: Boolean): List<R> {
        scheduler.checkOpen()
        val requests =
            scheduler.broadcast(RunFrameSize.check(TaskCodec.encodeTask(task), config.maxFrameSize), toLaterWorkers)
        try {
            @Suppress("UNCHECKED_CAST")
            return requests.map { it.deferred }.awaitAll() as List<R>
        } catch (e: CancellationException) {
            requests.forEach { it.deferred.cancel(e) }
            throw e
        }
    }

    override fun close() = shutdown.close()

    /** Set by `shutdownNow()` (see Shutdowns.kt): [close] cancels queued and running tasks. */
    var cancelOnClose: Boolean
        get() = shutdown.cancelOnClose
        set(value) {
            shutdown.cancelOnClose = value
        }

    /** Cancels every queued and running request (their `Deferred`s, and so the remote runs). */
    fun cancelAll(reason: String) = shutdown.cancelAll(reason)

    /** Kills every worker still alive, failing what it runs with [io.asynccpu.WorkerCrashedException]. */
    fun killAll(reason: String) = shutdown.killAll(reason)

    override suspend fun shutdown() = Shutdowns.shutdown(this)

    override suspend fun shutdownNow() = Shutdowns.shutdownNow(this)

    override fun toString(): String = "ProcessPool(${config.name})"
}
