package io.asynccpu.internal.pool

import io.asynccpu.PoolClosedException
import io.asynccpu.PoolEvent
import io.asynccpu.PoolEvent.WorkerRetired.Reason
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.pool.WorkerSlot.Phase
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.Messages
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock

/**
 * The pool's scheduling state and the one lock that guards it: the queue of pending requests, the
 * worker slots and their phases, dispatch ([Dispatcher], [Prefetch]), spawning and refilling, worker
 * setup ([WorkerSetup]) and retirement ([Retirement]), pinning for `submitTo` and broadcasts, the
 * broken state ([BrokenState]), what a worker's end does to its requests ([CrashSettlement]), stats.
 *
 * Nothing else takes [lock]. Nothing under it blocks on I/O: workers are reached through
 * [WorkerPort]s whose calls only queue, and events never suspend. Deferreds are completed outside
 * the lock where the order allows it. (The file is longer than the others on purpose: every
 * operation that needs the lock is here, so the lock never leaves it; the rules it applies are in
 * the collaborators above, each in its own file.)
 *
 * @param open creates the worker behind a new slot (a [WorkerProcess], or a fake in tests).
 * @param watch installs the caller-side reactions on a request created here (cancellation, events).
 */
internal class Scheduler(
    private val config: ProcessPoolConfig,
    private val bus: PoolEvents,
    private val telemetry: PoolTelemetry,
    private val open: (Scheduler, WorkerSlot) -> WorkerPort,
    private val watch: (Request) -> Unit,
) {
    private val lock = ReentrantLock()
    private val changed = lock.newCondition()
    private val pending = ArrayDeque<Request>()
    private val slots = ArrayList<WorkerSlot>()
    private val requestIds = AtomicLong()
    private var slotIds = 0
    private var closed = false
    val prefetch = Prefetch(config.tasksPerWorker, config.maxTasksPerWorker)
    private val dispatcher = Dispatcher(config.tasksPerWorker, config.maxWorkers, prefetch)
    private val broken = BrokenState(config.name, config.maxStartAttempts)
    private val setup = WorkerSetup(config.initializer?.let { TaskCodec.encodeTask(it) })
    private val spawner = { spawnLocked() }
    private val sender = { slot: WorkerSlot, request: Request -> sendLocked(slot, request) }
    private val retirement = Retirement(config.finalizer?.let { TaskCodec.encodeTask(it) }, bus, telemetry, prefetch, sender) {
        newRequest(it, Request.Kind.FINALIZER)
    }

    /** Set once `close()` began; read without the lock by submitters (they recheck under it). */
    @Volatile var closing: Boolean = false
        private set

    fun newRequest(encoded: EncodedCall, kind: Request.Kind = Request.Kind.TASK): Request =
        Request(requestIds.incrementAndGet(), encoded, kind)

    /** Starts the initial workers (all of them for an eager pool). */
    fun start() = lock.withLock { repeat(if (config.startEagerly) config.maxWorkers else config.minWorkers) { spawnLocked() } }

    fun checkOpen() {
        if (closing) throw PoolClosedException("ProcessPool '${config.name}' is closed: create a new pool to run more tasks.")
    }

    // ---- requests in ----

    fun enqueue(request: Request) = lock.withLock {
        admitLocked(request)
        pending.addLast(request)
        dispatchLocked()
    }

    private fun admitLocked(request: Request) {
        checkOpen()
        broken.check()
        telemetry.taskSubmitted(request)
        bus.emit { PoolEvent.TaskQueued(request.id, request.encoded.description) }
    }

    /** Queues [request] for the live worker [workerId] only; it never moves to another worker. */
    fun enqueuePinned(workerId: Int, request: Request, unknown: () -> Nothing) = lock.withLock {
        checkOpen()
        val target = slots.firstOrNull { it.id == workerId && it.active } ?: unknown()
        admitLocked(request)
        request.pinnedTo = target
        watch(request)
        if (target.takesTasks) sendLocked(target, request) else target.pinned.addLast(request)
    }

    /** One copy of [encoded] per live worker (as a setup step on those still setting up); [sticky] also for later ones. */
    fun broadcast(encoded: EncodedCall, sticky: Boolean): List<Request> = lock.withLock {
        checkOpen()
        broken.check()
        if (sticky) setup.remember(encoded)
        slots.filter { it.active }.map { slot ->
            val request = newRequest(encoded, if (slot.takesTasks) Request.Kind.BROADCAST else Request.Kind.SETUP)
            request.pinnedTo = slot
            watch(request)
            if (slot.takesTasks) sendLocked(slot, request) else slot.setup.addLast(request)
            request
        }
    }

    /** The caller gave up on [request]: true if it was withdrawn before reaching a worker (nothing to cancel remotely). */
    fun withdraw(request: Request): Boolean = lock.withLock {
        if (pending.remove(request)) {
            changed.signalAll()
            return true
        }
        val pinnedTo = request.pinnedTo
        pinnedTo != null && (pinnedTo.pinned.remove(request) || pinnedTo.setup.remove(request))
    }

    /** Sends CANCEL (built by [frame]) for [request] once, if a worker is running it; returns that worker. */
    fun sendCancel(request: Request, frame: () -> Frame): WorkerSlot? = lock.withLock {
        val slot = request.slot ?: return null
        if (!slot.inFlight.containsKey(request.id) || request.cancelSent) return null
        request.cancelSent = true
        slot.port.send(frame())
        slot
    }

    /** Lets the worker running the streaming [request] send [items] more items. */
    fun grantCredit(request: Request, items: Int) = lock.withLock {
        val slot = request.slot ?: return
        if (slot.inFlight.containsKey(request.id)) slot.port.send(FlowMessages.credit(request.id, items))
    }

    fun isInFlight(request: Request): Boolean = lock.withLock { request.slot?.inFlight?.containsKey(request.id) == true }

    fun inFlight(slot: WorkerSlot, id: Long): Request? = lock.withLock { slot.inFlight[id] }

    // ---- dispatch ----

    fun dispatch() = lock.withLock { dispatchLocked() }

    private fun dispatchLocked() {
        for (slot in slots) {
            if (!slot.takesTasks) continue
            while (slot.pinned.isNotEmpty()) {
                val request = slot.pinned.removeFirst()
                if (!request.deferred.isCompleted) sendLocked(slot, request)
            }
        }
        val mayGrow = !broken.isBroken && !closing
        while (pending.isNotEmpty()) {
            val slot = dispatcher.pick(slots, pending.size, mayGrow, spawner) ?: break
            val request = pending.removeFirst()
            if (request.deferred.isCompleted) continue
            sendLocked(slot, request)
        }
        changed.signalAll()
    }

    private fun sendLocked(slot: WorkerSlot, request: Request) {
        request.slot = slot
        request.lastSlot = slot
        request.dispatchedAt = System.nanoTime()
        slot.inFlight[request.id] = request
        if (request.kind == Request.Kind.TASK) {
            slot.tasksDispatched++
            telemetry.taskStarted(request, slot)
            bus.emit { PoolEvent.TaskStarted(request.id, request.encoded.description, slot.info) }
        }
        slot.port.send(Messages.run(request.id, request.runHead ?: request.encoded.header.runHead(), request.encoded.body))
        request.stream?.let { slot.port.send(FlowMessages.credit(request.id, it.window)) }
    }

    // ---- a worker's life ----

    private fun spawnLocked(): WorkerSlot {
        val slot = WorkerSlot(++slotIds) { open(this, it) }
        slots += slot
        if (setup.plan(slot) { newRequest(it, Request.Kind.SETUP) }) {
            slot.phase = Phase.SETTING_UP
            setup.sendNext(slot, sender, ::onSetupAnswered)
        }
        return slot
    }

    private fun onSetupAnswered(slot: WorkerSlot, request: Request, cause: Throwable?) {
        lock.withLock {
            if (slot.phase != Phase.SETTING_UP) return
            if (cause == null || cause is CancellationException) {
                if (slot.setup.isNotEmpty()) {
                    setup.sendNext(slot, sender, ::onSetupAnswered)
                } else {
                    if (slot.helloReceived) readyLocked(slot) else slot.phase = Phase.STARTING
                    dispatchLocked()
                }
                return
            }
            slot.phase = Phase.DISCARDED
            telemetry.workerRetired(Reason.SETUP_FAILED)
            bus.emit { PoolEvent.WorkerRetired(slot.info, Reason.SETUP_FAILED) }
            slot.started.completeExceptionally(cause)
            if (broken.startFailed()) breakLocked(cause, "the setup of ${request.encoded.description} failed")
        }
        slot.port.kill("${request.encoded.description} failed while setting up the worker")
    }

    /** The worker said HELLO. One retiring already (the pool closed first) starts without a WorkerStarted event. */
    fun onHello(slot: WorkerSlot) = lock.withLock {
        slot.helloReceived = true
        if (slot.phase == Phase.STARTING) readyLocked(slot)
        if (slot.phase == Phase.RETIRING) slot.started.complete(Unit)
        dispatchLocked()
    }

    /**
     * The worker serves: its JVM answered and its setup is done. Its idle clock starts now, not when it
     * was spawned, so a JVM start longer than `idleTimeout` does not retire a worker before it served.
     */
    private fun readyLocked(slot: WorkerSlot) {
        slot.phase = Phase.READY
        slot.everReady = true
        slot.idleSince = System.nanoTime()
        broken.started()
        slot.started.complete(Unit)
        telemetry.workerStarted(slot)
        bus.emit { PoolEvent.WorkerStarted(slot.info) }
    }

    /**
     * Takes the answered request off [slot], retires the worker if it is due for recycling, and refills
     * it (after the last of a batch of buffered answers: [moreBuffered] defers the refill).
     */
    fun answered(slot: WorkerSlot, id: Long, moreBuffered: Boolean): Request? = lock.withLock {
        val request = slot.inFlight.remove(id)
        if (request != null) slot.tasksDone++
        if (slot.inFlight.isEmpty()) {
            slot.idleSince = System.nanoTime()
            if (slot.takesTasks && retirement.recycleDue(slot)) retirement.retire(slot, Reason.RECYCLED)
        }
        if (moreBuffered) slot.dispatchDeferred = true else dispatchLocked()
        request
    }

    /** Retires workers idle for longer than `idleTimeout`, down to `minWorkers` (the idle sweep's timer thread). */
    fun retireIdle() = lock.withLock {
        if (closing || pending.isNotEmpty()) return
        retirement.idleOnes(slots, config.minWorkers, config.idleTimeout.inWholeNanoseconds)
            .forEach { retirement.retire(it, Reason.IDLE) }
    }

    /** The worker's process ended: settle its requests ([CrashSettlement]), then refill and dispatch. */
    fun onWorkerGone(slot: WorkerSlot, exit: WorkerExit) {
        val phase: Phase
        val outcome: CrashSettlement.Outcome
        var breakError: WorkerCrashedException? = null
        lock.withLock {
            phase = slot.phase
            slots.remove(slot)
            slot.phase = Phase.GONE
            val inFlight = slot.inFlight.values.toList()
            val waiting = slot.pinned + slot.setup
            slot.inFlight.clear()
            slot.pinned.clear()
            slot.setup.clear()
            outcome = CrashSettlement.settle(phase, slot.everReady, inFlight, waiting, exit, closing, config.tasksPerWorker)
            outcome.requeued.asReversed().forEach { pending.addFirst(it) }
            inFlight.forEach { it.slot = null }
            if (outcome.startFailure && broken.startFailed()) {
                breakError = CrashReports.crashException(slot, exit, null)
                breakLocked(breakError!!, "${broken.failures()} workers in a row failed to start")
            }
            refillLocked()
            dispatchLocked()
        }
        val error = breakError ?: CrashReports.crashException(slot, exit, null)
        slot.started.completeExceptionally(error) // (no effect once it had started)
        if (!outcome.graceful && phase != Phase.DISCARDED) {
            telemetry.workerCrashed(slot, error)
            bus.emit { PoolEvent.WorkerCrashed(slot.info, error) }
        }
        outcome.failed.forEach { it.deferred.completeExceptionally(CrashReports.crashException(slot, exit, it)) }
    }

    /** Starts workers up to the floor: `minWorkers` (all of them for an eager pool that never shrinks). */
    private fun refillLocked() {
        if (closing || broken.isBroken) return
        val floor = if (config.startEagerly && config.idleTimeout.isInfinite()) config.maxWorkers else config.minWorkers
        while (slots.size < config.maxWorkers && slots.count { it.active } < floor) spawnLocked()
    }

    private fun breakLocked(cause: Throwable, why: String) {
        broken.breakWith(cause, why)
        bus.emit { PoolEvent.PoolBroken(cause) }
        val failed = pending.toList()
        pending.clear()
        failed.forEach { it.deferred.completeExceptionally(broken.exception(cause)) }
    }

    // ---- management ----

    fun stats(): PoolStats = lock.withLock { PoolSnapshots.stats(slots, pending.size, telemetry.counters) }

    /** Each worker with its requests in flight and whether it is ready, read together. */
    fun slotSnapshot(): List<Triple<WorkerSlot, Int, Boolean>> =
        lock.withLock { slots.map { Triple(it, it.inFlight.size, it.phase == Phase.READY) } }

    /** Starts workers until [wanted] are live (at most `maxWorkers`); returns when each of those becomes ready. */
    fun warmUp(wanted: Int): List<Deferred<Unit>> = lock.withLock {
        checkOpen()
        broken.check()
        val n = wanted.coerceAtMost(config.maxWorkers)
        while (slots.size < config.maxWorkers && slots.count { it.active } < n) spawnLocked()
        slots.filter { it.active }.take(n).map { it.started }
    }

    fun checkBroken() = lock.withLock { broken.check() }

    fun restore() = lock.withLock {
        checkOpen()
        broken.reset()
        refillLocked()
        dispatchLocked()
    }

    // ---- closing (driven by PoolShutdown) ----

    /** Marks the pool closing; false if it already was (then waits until the first close() finished). */
    fun beginClose(): Boolean = lock.withLock {
        if (closing) {
            while (!closed) changed.await()
            return false
        }
        closing = true
        true
    }

    /** Requests queued or running, for `cancelPendingOnClose`. */
    fun unfinished(): List<Request> = lock.withLock { pending.toList() + slots.flatMap { it.inFlight.values + it.pinned } }

    /** Waits until every request was answered, then retires every worker. */
    fun drainAndRetireAll() = lock.withLock {
        while (pending.isNotEmpty() || slots.any { it.inFlight.isNotEmpty() || it.pinned.isNotEmpty() }) changed.await()
        slots.toList().forEach { retirement.retire(it, Reason.CLOSED) }
    }

    fun markClosed() = lock.withLock {
        closed = true
        changed.signalAll()
    }
}
