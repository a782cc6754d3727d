package io.asynccpu.hazelcast.internal

import com.hazelcast.client.HazelcastClient
import com.hazelcast.client.HazelcastClientNotActiveException
import com.hazelcast.client.HazelcastClientOfflineException
import com.hazelcast.cluster.Member
import com.hazelcast.cluster.MembershipEvent
import com.hazelcast.cluster.MembershipListener
import com.hazelcast.core.HazelcastInstance
import com.hazelcast.core.HazelcastInstanceNotActiveException
import com.hazelcast.core.LifecycleEvent
import com.hazelcast.core.MemberLeftException
import com.hazelcast.spi.exception.TargetDisconnectedException
import com.hazelcast.spi.exception.TargetNotMemberException
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.JavaTask
import io.asynccpu.PoolEvent
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.ProcessPoolException
import io.asynccpu.ProcessTask
import io.asynccpu.StreamingTask
import io.asynccpu.TrackedTask
import io.asynccpu.WorkerInfo
import io.asynccpu.WorkerReport
import io.asynccpu.hazelcast.ClusterPoolBuilder
import io.asynccpu.hazelcast.ClusterUnavailableException
import io.asynccpu.hazelcast.MemberLostException
import io.asynccpu.spi.EncodedFailureException
import io.asynccpu.spi.EncodedTask
import io.asynccpu.spi.EncodedTaskSubmitter
import java.io.IOException
import java.util.IdentityHashMap
import java.util.UUID
import java.util.concurrent.CompletionException
import java.util.concurrent.CompletionStage
import java.util.concurrent.ExecutionException
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlin.reflect.KFunction
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow

/**
 * The cluster-backed [ProcessPool]: a Hazelcast client, a queue of pending tasks, the members that run asynccpu (those
 * advertising a capacity), and a dispatcher thread that cuts the queue into envelopes ([RunBatch]) for the least-loaded
 * members with room.
 *
 * A member holds at most its capacity in tasks, plus `prefetch` once its tasks are known to be short, so a burst of
 * small tasks travels in a few large envelopes while a long task never waits on a busy member when another is free.
 * Submitting only queues and wakes the dispatcher: it never blocks.
 *
 * All state is guarded by [lock]; Hazelcast calls are made outside it.
 */
@OptIn(InternalAsyncCpuApi::class)
internal class RealClusterPool(b: ClusterPoolBuilder) : ProcessPool, EncodedTaskSubmitter {
    private val name = b.name
    private val retries = b.retriesOnMemberLoss
    private val maxBatch = b.maxBatch
    private val prefetch = b.prefetch
    private val maxFrameSize = b.maxFrameSize
    private val where = "cluster '${b.clusterName}' at ${b.members.joinToString(",")}"
    private val poolId = UUID.randomUUID().toString()
    private val batchIds = AtomicLong()
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private val pending = ArrayDeque<ClusterCall>()
    private val members = LinkedHashMap<UUID, MemberSlot>()
    private var wake = false
    private var closing = false
    private var stopped = false
    private var unavailable: ClusterUnavailableException? = null

    private val client: HazelcastInstance =
        try {
            HazelcastClient.newHazelcastClient(HazelcastSetup.clientConfig(b))
        } catch (e: IllegalStateException) {
            throw ClusterUnavailableException(
                "No member of $where answered within ${b.connectTimeout}: check the cluster name, the member " +
                    "addresses and the firewall, and that members were started (MemberMain).",
                e,
            )
        }
    private val executor = client.getExecutorService(HazelcastSetup.TASK_EXECUTOR)
    private val control = client.getExecutorService(HazelcastSetup.CONTROL_EXECUTOR)

    override val config: ProcessPoolConfig

    init {
        client.cluster.addMembershipListener(
            object : MembershipListener {
                override fun memberAdded(event: MembershipEvent) = lock.withLock { addMemberLocked(event.member) }

                override fun memberRemoved(event: MembershipEvent) =
                    lock.withLock {
                        members.remove(event.member.uuid)?.gone = true
                        Unit
                    }
            }
        )
        client.lifecycleService.addLifecycleListener { event ->
            if (event.state == LifecycleEvent.LifecycleState.SHUTDOWN) onClientStopped()
        }
        val capacity =
            lock.withLock {
                client.cluster.members.forEach { addMemberLocked(it) }
                members.values.sumOf { it.capacity }
            }
        config =
            EncodedTaskSubmitter.configOf {
                name = this@RealClusterPool.name
                maxWorkers = capacity.coerceAtLeast(1)
                maxFrameSize = this@RealClusterPool.maxFrameSize
            }
        if (b.forwardLogs) {
            client.getTopic<LogEnvelope>(HazelcastSetup.LOG_TOPIC).addMessageListener {
                LogReceiver.emit(it.messageObject)
            }
        }
        Thread(::dispatchLoop, "asynccpu-cluster-dispatcher-$name").apply { isDaemon = true }.start()
    }

    private fun addMemberLocked(member: Member) {
        if (member.isLiteMember || members.containsKey(member.uuid)) return
        val capacity = member.getAttribute(HazelcastSetup.CAPACITY_ATTRIBUTE)?.toIntOrNull() ?: return
        members[member.uuid] = MemberSlot(member, capacity.coerceAtLeast(1))
        wakeLocked()
    }

    private fun wakeLocked() {
        wake = true
        changed.signalAll()
    }

    // ---- submitting ----

    override fun <R> submit(task: ProcessTask<R>): Deferred<R> = enqueue(EncodedTask.of(task))

    override fun <I, O> submit(taskClass: Class<out JavaTask<I, O>>, input: I): Deferred<O> =
        enqueue(EncodedTask.ofJavaTask(taskClass, input))

    override fun <R> submitFunction(function: KFunction<R>, args: List<Any?>): Deferred<R> =
        enqueue(EncodedTask.ofFunction(function, args))

    override fun submitEncoded(task: EncodedTask): Deferred<Any?> = enqueue(task)

    private fun <R> enqueue(task: EncodedTask): Deferred<R> {
        checkOpen()
        val size = task.body.size.toLong() + task.header.size
        if (size > maxFrameSize) {
            throw EncodedTaskSubmitter.frameTooLarge(
                "${task.description} encodes to $size bytes, above maxFrameSize ($maxFrameSize bytes): raise it " +
                    "in ClusterPool { } (and on the members), or pass large data by reference.",
                size,
                maxFrameSize,
            )
        }
        val call = ClusterCall(task)
        lock.withLock {
            checkOpen()
            pending.addLast(call)
            wakeLocked()
        }
        call.deferred.invokeOnCompletion { cause -> if (cause is CancellationException) onCancelled(call) }
        @Suppress("UNCHECKED_CAST")
        return call.deferred as Deferred<R>
    }

    private fun checkOpen() {
        unavailable?.let { throw ClusterUnavailableException(it.message ?: "cluster unavailable", it) }
        if (closing)
            throw EncodedTaskSubmitter.poolClosed("ClusterPool '$name' is closed: create a new pool to run more tasks.")
    }

    // ---- dispatching ----

    private fun dispatchLoop() {
        while (true) {
            val batches =
                lock.withLock {
                    while (!wake && !stopped) changed.await()
                    if (stopped) return
                    wake = false
                    formBatchesLocked()
                }
            batches.forEach(::send)
        }
    }

    private fun formBatchesLocked(): List<Batch> {
        val out = ArrayList<Batch>()
        while (pending.isNotEmpty()) {
            val slot =
                members.values
                    .filter { it.inFlight < it.window(prefetch) }
                    .minByOrNull { it.inFlight.toDouble() / it.capacity } ?: break
            val room = minOf(slot.window(prefetch) - slot.inFlight, maxBatch)
            val calls = ArrayList<ClusterCall>(minOf(room, pending.size))
            while (calls.size < room && pending.isNotEmpty()) {
                val call = pending.removeFirst()
                if (!call.deferred.isCompleted) calls += call
            }
            if (calls.isEmpty()) break
            val batch = Batch(batchIds.incrementAndGet(), slot, calls)
            calls.forEachIndexed { i, call ->
                call.batch = batch
                call.index = i
            }
            slot.inFlight += calls.size
            out += batch
        }
        return out
    }

    private fun send(batch: Batch) {
        val headerIds = IdentityHashMap<ByteArray, Int>()
        val headers = ArrayList<ByteArray>()
        val index = IntArray(batch.calls.size)
        val bodies =
            Array(batch.calls.size) { i ->
                val task = batch.calls[i].task
                val header = task.header
                index[i] =
                    headerIds.getOrPut(header) {
                        headers += header
                        headers.size - 1
                    }
                task.body
            }
        val envelope = RunBatch(poolId, batch.id, headers.toTypedArray(), index, bodies)
        try {
            val future = executor.submitToMember(envelope, batch.slot.member)
            lock.withLock { batch.future = future }
            @Suppress("UNCHECKED_CAST")
            (future as CompletionStage<BatchResult>).whenComplete { result, error ->
                if (error != null) onBatchFailed(batch, error) else onBatchDone(batch, result)
            }
        } catch (e: Exception) {
            onBatchFailed(batch, e)
        }
    }

    private fun finishLocked(batch: Batch): Boolean {
        if (batch.done) return false
        batch.done = true
        batch.slot.inFlight -= batch.calls.size
        wakeLocked()
        return true
    }

    private fun onBatchDone(batch: Batch, result: BatchResult) {
        val slot = batch.slot
        lock.withLock {
            if (!finishLocked(batch)) return
            val n = batch.calls.size
            val perTask = result.wallNanos.toDouble() * minOf(n, slot.capacity) / n
            slot.averageTaskNanos =
                if (slot.averageTaskNanos < 0) perTask else slot.averageTaskNanos * 0.7 + perTask * 0.3
        }
        batch.calls.forEachIndexed { i, call ->
            val payload = result.payloads.getOrNull(i)
            when (result.status.getOrNull(i)) {
                BatchResult.RESULT ->
                    try {
                        call.deferred.complete(call.task.decodeResult(payload ?: ByteArray(0)))
                    } catch (e: Throwable) {
                        call.deferred.completeExceptionally(e)
                    }
                BatchResult.FAILURE ->
                    call.deferred.completeExceptionally(
                        try {
                            EncodedFailureException.rebuild(
                                payload ?: ByteArray(0),
                                call.task,
                                slot.toString(),
                                maxFrameSize,
                            )
                        } catch (e: IllegalArgumentException) {
                            ProcessPoolException(
                                "${call.task.description} failed on $slot with an unreadable failure: ${e.message}",
                                e,
                            )
                        }
                    )
                else -> call.deferred.cancel()
            }
        }
    }

    private fun onBatchFailed(batch: Batch, error: Throwable) {
        val cause = unwrap(error)
        val slot = batch.slot
        val lost = isMemberLoss(cause, slot)
        val failed = ArrayList<ClusterCall>()
        lock.withLock {
            if (!finishLocked(batch)) return
            if (lost) {
                members.remove(slot.member.uuid)
                slot.gone = true
            }
            val retried = ArrayList<ClusterCall>()
            for (call in batch.calls) {
                if (call.deferred.isCompleted) continue
                if (lost && call.losses < retries && !stopped) {
                    call.losses++
                    call.batch = null
                    retried += call
                } else {
                    failed += call
                }
            }
            retried.asReversed().forEach { pending.addFirst(it) }
        }
        for (call in failed) {
            val e =
                when {
                    cause is CancellationException -> {
                        call.deferred.cancel()
                        continue
                    }
                    lost ->
                        MemberLostException(
                            "${call.task.description} was running on $slot, which left the cluster or died" +
                                (if (retries > 0) " (sent ${call.losses + 1} times, retriesOnMemberLoss=$retries)"
                                else "") +
                                ". The task may have run partly or fully there; it was not retried" +
                                (if (retries > 0) " again." else ": set retriesOnMemberLoss for idempotent tasks."),
                            slot.address,
                            cause,
                        )
                    !client.lifecycleService.isRunning ||
                        cause is HazelcastClientNotActiveException ||
                        cause is HazelcastClientOfflineException ->
                        unavailable
                            ?: ClusterUnavailableException(
                                "The connection to $where was lost while ${call.task.description} was sent.",
                                cause,
                            )
                    else -> ProcessPoolException("${call.task.description} could not run on $slot: $cause", cause)
                }
            call.deferred.completeExceptionally(e)
        }
    }

    private fun unwrap(error: Throwable): Throwable {
        var e = error
        while ((e is ExecutionException || e is CompletionException) && e.cause != null) e = e.cause!!
        return e
    }

    private fun isMemberLoss(cause: Throwable, slot: MemberSlot): Boolean {
        if (cause is HazelcastClientNotActiveException || cause is HazelcastClientOfflineException) return false
        if (
            cause is MemberLeftException ||
                cause is TargetDisconnectedException ||
                cause is TargetNotMemberException ||
                cause is HazelcastInstanceNotActiveException ||
                cause is IOException
        ) {
            return true
        }
        return slot.gone ||
            runCatching { client.cluster.members.none { it.uuid == slot.member.uuid } }.getOrDefault(false)
    }

    // ---- cancellation ----

    private fun onCancelled(call: ClusterCall) {
        val batch =
            lock.withLock { call.batch?.takeIf { !it.done } } ?: return // a queued call is skipped by the dispatcher
        val future = lock.withLock { batch.future }
        if (batch.calls.size == 1) future?.cancel(true)
        runCatching { control.submitToMember(CancelTask(poolId, batch.id, call.index), batch.slot.member) }
    }

    // ---- the cluster going away ----

    private fun onClientStopped() {
        val failed =
            lock.withLock {
                if (closing && pending.isEmpty()) {
                    stopped = true
                    changed.signalAll()
                    return
                }
                val error =
                    ClusterUnavailableException(
                        "The connection to $where was lost and not restored within the connect timeout; ClusterPool '$name' " +
                            "is unusable: create a new one once members are back."
                    )
                unavailable = error
                stopped = true
                val all = pending.toList()
                pending.clear()
                changed.signalAll()
                all.map { it to error }
            }
        failed.forEach { (call, error) -> call.deferred.completeExceptionally(error) }
    }

    // ---- what a cluster pool does not support ----

    override fun <R> submitWithProgress(task: ProcessTask<R>): TrackedTask<R> =
        throw UnsupportedOperationException(
            "ClusterPool does not forward progress reports; use submit, or a local ProcessPool."
        )

    override fun <I, O> submitWithProgress(taskClass: Class<out JavaTask<I, O>>, input: I): TrackedTask<O> =
        throw UnsupportedOperationException(
            "ClusterPool does not forward progress reports; use submit, or a local ProcessPool."
        )

    override fun <R> submitTo(worker: WorkerInfo, task: ProcessTask<R>): Deferred<R> =
        throw UnsupportedOperationException("ClusterPool cannot pin a task to one worker of a member; use submit.")

    override suspend fun <R> broadcast(task: ProcessTask<R>, toLaterWorkers: Boolean): List<R> =
        throw UnsupportedOperationException(
            "ClusterPool does not broadcast; give each member's pool an initializer instead."
        )

    override fun <T> stream(task: StreamingTask<T>, buffer: Int): Flow<T> =
        throw UnsupportedOperationException(
            "ClusterPool does not run StreamingTasks; return a list from a ProcessTask instead."
        )

    /** No events are reported for a cluster pool: a flow that never emits. */
    override val events: SharedFlow<PoolEvent> = MutableSharedFlow<PoolEvent>().asSharedFlow()

    override fun stats(): PoolStats =
        lock.withLock {
            val running = members.values.sumOf { it.inFlight }
            EncodedTaskSubmitter.statsOf(
                workers = members.size,
                busyWorkers = members.values.count { it.inFlight > 0 },
                idleWorkers = members.values.count { it.inFlight == 0 },
                pendingTasks = pending.count { !it.deferred.isCompleted },
                runningTasks = running,
            )
        }

    override fun workerReports(): List<WorkerReport> = emptyList()

    override suspend fun warmUp(workers: Int) = check()

    override fun check() {
        checkOpen()
        if (!client.lifecycleService.isRunning)
            throw ClusterUnavailableException("The client of $where is not running.")
    }

    override suspend fun test() = check()

    override fun restore() = Unit

    // ---- closing ----

    override fun close() {
        lock.withLock {
            closing = true
            while (
                !stopped && (pending.any { !it.deferred.isCompleted } || members.values.any { it.inFlight > 0 })
            ) changed.await()
            stopped = true
            changed.signalAll()
        }
        runCatching { client.shutdown() }
    }

    override fun toString(): String = "ClusterPool($name, $where)"
}
