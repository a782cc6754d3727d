package io.asynccpu.internal.pool

import io.asynccpu.PoolEvent
import io.asynccpu.PoolEvent.WorkerRetired.Reason
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.pool.WorkerSlot.Phase
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred

/**
 * A worker's life as the [Scheduler] sees it: its slot is spawned (with the setup steps of [WorkerSetup]), becomes
 * ready once it said HELLO and its setup is done, and leaves the pool when its process ends ([CrashSettlement] decides
 * what that does to its requests). Owns the list of slots.
 *
 * Called by the scheduler under its lock (except [reportGone]); takes no lock. What involves the queue (requeueing,
 * breaking the pool, dispatching) stays with the scheduler.
 *
 * @param open creates the worker behind a new slot.
 * @param setupAnswered hears each setup step's outcome (the scheduler's entry point, which locks).
 */
internal class WorkerLifecycle(
    private val config: ProcessPoolConfig,
    private val bus: PoolEvents,
    private val telemetry: PoolTelemetry,
    private val broken: BrokenState,
    private val open: (WorkerSlot) -> WorkerPort,
    private val newRequest: (EncodedCall, Request.Kind) -> Request,
    private val send: (WorkerSlot, Request) -> Unit,
    private val setupAnswered: (WorkerSlot, Request, Throwable?) -> Unit,
) {
    /** The initializer and sticky broadcasts every new worker runs first. */
    val setup = WorkerSetup(config.initializer?.let { TaskCodec.encodeTask(it) })
    private val all = ArrayList<WorkerSlot>()
    private var slotIds = 0

    /** The pool's workers in the order they were spawned; a worker leaves it when its process ended. */
    val slots: List<WorkerSlot> = all

    /** What a setup step's answer leaves to the scheduler. */
    enum class SetupStep {
        /** Nothing: the next step was sent, or the worker had already left setup. */
        WAITING,

        /** Setup is done: the worker takes tasks (dispatch). */
        DONE,

        /** The step failed: the worker is discarded (count a start failure, kill it). */
        FAILED,
    }

    /** Starts a worker: its slot, then its first setup step if it has any (until then it takes no tasks). */
    fun spawn(): WorkerSlot {
        val slot = WorkerSlot(++slotIds, open)
        all += slot
        if (setup.plan(slot) { newRequest(it, Request.Kind.SETUP) }) {
            slot.phase = Phase.SETTING_UP
            setup.sendNext(slot, send, setupAnswered)
        }
        return slot
    }

    /** Spawns workers until [wanted] are active (not retiring, discarded or gone), at most `maxWorkers` in all. */
    private fun growTo(wanted: Int) {
        while (all.size < config.maxWorkers && all.count { it.active } < wanted) spawn()
    }

    /** Starts workers until [wanted] are active (at most `maxWorkers`); returns when each of those becomes ready. */
    fun warmUp(wanted: Int): List<Deferred<Unit>> {
        val n = wanted.coerceAtMost(config.maxWorkers)
        growTo(n)
        return all.filter { it.active }.take(n).map { it.started }
    }

    /** Starts workers up to the floor: `minWorkers` (all of them for an eager pool that never shrinks). */
    fun refill(closing: Boolean) {
        if (closing || broken.isBroken) return
        growTo(if (config.startEagerly && config.idleTimeout.isInfinite()) config.maxWorkers else config.minWorkers)
    }

    /** A setup step of [slot] was answered ([cause] null or a cancellation: it succeeded). */
    fun setupStepAnswered(slot: WorkerSlot, cause: Throwable?): SetupStep {
        if (slot.phase != Phase.SETTING_UP) return SetupStep.WAITING
        if (cause == null || cause is CancellationException) {
            if (slot.setup.isNotEmpty()) {
                setup.sendNext(slot, send, setupAnswered)
                return SetupStep.WAITING
            }
            if (slot.helloReceived) ready(slot) else slot.phase = Phase.STARTING
            return SetupStep.DONE
        }
        slot.phase = Phase.DISCARDED
        telemetry.workerRetired(Reason.SETUP_FAILED)
        bus.emit { PoolEvent.WorkerRetired(slot.info, Reason.SETUP_FAILED) }
        slot.started.completeExceptionally(cause)
        return SetupStep.FAILED
    }

    /** The worker said HELLO. One retiring already (the pool closed first) starts without a WorkerStarted event. */
    fun hello(slot: WorkerSlot) {
        slot.helloReceived = true
        if (slot.phase == Phase.STARTING) ready(slot)
        if (slot.phase == Phase.RETIRING) slot.started.complete(Unit)
    }

    /**
     * The worker serves: its JVM answered and its setup is done. Its idle clock starts now, not when it was spawned, so
     * a JVM start longer than `idleTimeout` does not retire a worker before it served.
     */
    private fun ready(slot: WorkerSlot) {
        slot.phase = Phase.READY
        slot.everReady = true
        slot.idleSince = System.nanoTime()
        broken.started()
        slot.started.complete(Unit)
        telemetry.workerStarted(slot)
        bus.emit { PoolEvent.WorkerStarted(slot.info) }
    }

    /** How a worker left: its phase before, and what [CrashSettlement] decided for its requests. */
    class Departure(val phase: Phase, val outcome: CrashSettlement.Outcome)

    /**
     * [slot]'s process ended: it leaves the pool, its requests are settled (the scheduler requeues the movable ones).
     */
    fun leave(slot: WorkerSlot, exit: WorkerExit, closing: Boolean): Departure {
        val phase = slot.phase
        all.remove(slot)
        slot.phase = Phase.GONE
        val inFlight = slot.inFlight.values.toList()
        val waiting = slot.pinned + slot.setup
        slot.inFlight.clear()
        slot.pinned.clear()
        slot.setup.clear()
        val outcome =
            CrashSettlement.settle(phase, slot.everReady, inFlight, waiting, exit, closing, config.tasksPerWorker)
        inFlight.forEach { it.slot = null }
        return Departure(phase, outcome)
    }

    /** After [leave], outside the lock: reports a crash and fails the requests that may have started. */
    fun reportGone(slot: WorkerSlot, exit: WorkerExit, departure: Departure, breakError: WorkerCrashedException?) {
        val error = breakError ?: CrashReports.crashException(slot, exit, null)
        slot.started.completeExceptionally(error) // (no effect once it had started)
        if (!departure.outcome.graceful && departure.phase != Phase.DISCARDED) {
            telemetry.workerCrashed(slot, error)
            bus.emit { PoolEvent.WorkerCrashed(slot.info, error) }
        }
        departure.outcome.failed.forEach {
            it.deferred.completeExceptionally(CrashReports.crashException(slot, exit, it))
        }
    }
}
