package io.asynccpu.internal.pool

import io.asynccpu.PoolClosedException
import io.asynccpu.PoolEvent
import io.asynccpu.PoolEvent.WorkerRetired.Reason
import io.asynccpu.PoolStats
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.pool.WorkerLifecycle.SetupStep
import io.asynccpu.internal.pool.WorkerSlot.Phase
import io.asynccpu.internal.protocol.FlowMessages
import io.asynccpu.internal.protocol.Frame
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.ReentrantLock
import kotlin.concurrent.withLock
import kotlinx.coroutines.Deferred

/**
 * The pool's scheduling state and the one lock that guards it: the pending queue, the broken state ([BrokenState]),
 * stats, and every entry point that needs the lock. The rules it applies under the lock are its collaborators' (they
 * take no lock): dispatch ([Dispatcher], [Prefetch]), pinning for `submitTo` and broadcasts ([Pinning]), a worker's
 * life ([WorkerLifecycle], [WorkerSetup], [CrashSettlement]), retirement ([Retirement]).
 *
 * Nothing else takes [lock]. Nothing under it blocks on I/O: workers are reached through [WorkerPort]s whose calls only
 * queue, and events never suspend. Deferreds are completed outside the lock where the order allows it.
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
    private val requestIds = AtomicLong()
    val prefetch = Prefetch(config.tasksPerWorker, config.maxTasksPerWorker)
    private val dispatcher = Dispatcher(config.tasksPerWorker, config.maxWorkers, prefetch, telemetry, bus)
    private val broken = BrokenState(config.name, config.maxStartAttempts, bus)
    private val life =
        WorkerLifecycle(
            config,
            bus,
            telemetry,
            broken,
            { open(this, it) },
            ::newRequest,
            dispatcher::send,
            ::onSetupAnswered,
        )
    private val slots = life.slots
    private val spawner = life::spawn
    private val retirement = Retirement(config.finalizer, bus, telemetry, prefetch, dispatcher::send, ::newRequest)
    private val pinning = Pinning(slots, life.setup, dispatcher::send, ::newRequest, watch)

    /** Set once `close()` began; read without the lock by submitters (they recheck under it). */
    @Volatile
    var closing: Boolean = false
        private set

    fun newRequest(encoded: EncodedCall, kind: Request.Kind = Request.Kind.TASK): Request =
        Request(requestIds.incrementAndGet(), encoded, kind)

    /** Starts the initial workers (all of them for an eager pool). */
    fun start() =
        lock.withLock { repeat(if (config.startEagerly) config.maxWorkers else config.minWorkers) { life.spawn() } }

    fun checkOpen() {
        if (closing)
            throw PoolClosedException("ProcessPool '${config.name}' is closed: create a new pool to run more tasks.")
    }

    // ---- requests in ----

    fun enqueue(request: Request) =
        lock.withLock {
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

    /** Queues [request] for the live worker [workerId] only ([Pinning]); it never moves to another worker. */
    fun enqueuePinned(workerId: Int, request: Request, unknown: () -> Nothing) =
        lock.withLock {
            checkOpen()
            val target = pinning.target(workerId) ?: unknown()
            admitLocked(request)
            pinning.pin(target, request)
        }

    /** One copy of [encoded] per live worker ([Pinning]); [sticky] also for later ones. */
    fun broadcast(encoded: EncodedCall, sticky: Boolean): List<Request> =
        lock.withLock {
            checkOpen()
            broken.check()
            pinning.broadcast(encoded, sticky)
        }

    /**
     * The caller gave up on [request]: true if it was withdrawn before reaching a worker (nothing to cancel remotely).
     */
    fun withdraw(request: Request): Boolean =
        lock.withLock {
            if (pending.remove(request)) {
                changed.signalAll()
                return true
            }
            pinning.withdraw(request)
        }

    /** Sends CANCEL (built by [frame]) for [request] once, if a worker is running it; returns that worker. */
    fun sendCancel(request: Request, frame: () -> Frame): WorkerSlot? =
        lock.withLock {
            val slot = request.slot ?: return null
            if (!slot.inFlight.containsKey(request.id) || request.cancelSent) return null
            request.cancelSent = true
            slot.port.send(frame())
            slot
        }

    /** Lets the worker running the streaming [request] send [items] more items. */
    fun grantCredit(request: Request, items: Int) =
        lock.withLock {
            val slot = request.slot ?: return
            if (slot.inFlight.containsKey(request.id)) slot.port.send(FlowMessages.credit(request.id, items))
        }

    fun isInFlight(request: Request): Boolean =
        lock.withLock { request.slot?.inFlight?.containsKey(request.id) == true }

    fun inFlight(slot: WorkerSlot, id: Long): Request? = lock.withLock { slot.inFlight[id] }

    /** Hands queued requests to workers that can take them (see [Dispatcher]). */
    fun dispatch() = lock.withLock { dispatchLocked() }

    private fun dispatchLocked() {
        dispatcher.dispatch(slots, pending, !broken.isBroken && !closing, spawner)
        changed.signalAll()
    }

    // ---- a worker's life (the rules are WorkerLifecycle's) ----

    private fun onSetupAnswered(slot: WorkerSlot, request: Request, cause: Throwable?) {
        lock.withLock {
            when (life.setupStepAnswered(slot, cause)) {
                SetupStep.WAITING -> return
                SetupStep.DONE -> return dispatchLocked()
                SetupStep.FAILED ->
                    broken.startFailed(pending, { "the setup of ${request.encoded.description} failed" }) { cause!! }
            }
        }
        slot.port.kill("${request.encoded.description} failed while setting up the worker")
    }

    /** The worker said HELLO: it may become ready and take tasks. */
    fun onHello(slot: WorkerSlot) =
        lock.withLock {
            life.hello(slot)
            dispatchLocked()
        }

    /**
     * Takes the answered request off [slot], retires the worker if it is due for recycling, and refills it (after the
     * last of a batch of buffered answers: [moreBuffered] defers the refill).
     */
    fun answered(slot: WorkerSlot, id: Long, moreBuffered: Boolean): Request? =
        lock.withLock {
            val request = slot.inFlight.remove(id)
            if (request != null) slot.tasksDone++
            if (slot.inFlight.isEmpty()) retirement.becameIdle(slot)
            if (moreBuffered) slot.dispatchDeferred = true else dispatchLocked()
            request
        }

    /** Retires workers idle for longer than `idleTimeout`, down to `minWorkers` (the idle sweep's timer thread). */
    fun retireIdle() =
        lock.withLock {
            if (closing || pending.isNotEmpty()) return
            retirement.retireIdle(slots, config.minWorkers, config.idleTimeout.inWholeNanoseconds)
        }

    /** The worker's process ended: settle its requests ([CrashSettlement]), then refill and dispatch. */
    fun onWorkerGone(slot: WorkerSlot, exit: WorkerExit) {
        var breakError: WorkerCrashedException? = null
        val departure =
            lock.withLock {
                val departure = life.leave(slot, exit, closing)
                departure.outcome.requeued.asReversed().forEach { pending.addFirst(it) }
                if (departure.outcome.startFailure) {
                    breakError =
                        broken.startFailed(pending, { "$it workers in a row failed to start" }) {
                            CrashReports.crashException(slot, exit, null)
                        }
                }
                life.refill(closing)
                dispatchLocked()
                departure
            }
        life.reportGone(slot, exit, departure, breakError)
    }

    // ---- management ----

    fun stats(): PoolStats = lock.withLock { PoolSnapshots.stats(slots, pending.size, telemetry.counters) }

    /** Each worker with its requests in flight and whether it is ready, read together. */
    fun slotSnapshot(): List<Triple<WorkerSlot, Int, Boolean>> =
        lock.withLock { slots.map { Triple(it, it.inFlight.size, it.phase == Phase.READY) } }

    /** Starts workers until [wanted] are live (at most `maxWorkers`); returns when each of those becomes ready. */
    fun warmUp(wanted: Int): List<Deferred<Unit>> =
        lock.withLock {
            checkOpen()
            broken.check()
            life.warmUp(wanted)
        }

    fun checkBroken() = lock.withLock { broken.check() }

    fun restore() =
        lock.withLock {
            checkOpen()
            broken.reset()
            life.refill(closing)
            dispatchLocked()
        }

    // ---- closing (driven by PoolShutdown) ----

    /** Marks the pool closing; false if it already was. */
    fun beginClose(): Boolean =
        lock.withLock {
            if (closing) return false
            closing = true
            true
        }

    /** Requests queued or running, for `cancelPendingOnClose`. */
    fun unfinished(): List<Request> =
        lock.withLock { pending.toList() + slots.flatMap { it.inFlight.values } + pinning.held() }

    /** Waits until every request was answered, then retires every worker. */
    fun drainAndRetireAll() =
        lock.withLock {
            while (pending.isNotEmpty() || slots.any { it.inFlight.isNotEmpty() } || pinning.anyHeld()) changed.await()
            slots.toList().forEach { retirement.retire(it, Reason.CLOSED) }
        }
}
