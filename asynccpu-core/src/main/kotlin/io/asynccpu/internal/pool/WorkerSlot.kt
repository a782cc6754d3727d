package io.asynccpu.internal.pool

import io.asynccpu.WorkerInfo
import kotlinx.coroutines.CompletableDeferred

/**
 * The [Scheduler]'s view of one worker: its [Phase], the requests on it, and its counters. Mutable state is guarded by
 * the scheduler's lock unless marked volatile. The worker itself is reached only through [port].
 */
internal class WorkerSlot(val id: Int, open: (WorkerSlot) -> WorkerPort) {
    /**
     * Where a worker is in its life. The usual path is STARTING or SETTING_UP → READY → RETIRING → GONE; a failed setup
     * goes to DISCARDED → GONE, and any phase goes to GONE when the process ends.
     */
    enum class Phase {
        /** Setup is done (or there is none) but the worker has not said HELLO: it takes tasks, without prefetch. */
        STARTING,

        /** Setup requests (initializer, sticky broadcasts) run one at a time; no tasks yet. */
        SETTING_UP,

        /** HELLO received and setup done: serving. */
        READY,

        /** Asked to exit gracefully (idle, recycled, pool closing): finalizer, then SHUTDOWN; no new requests. */
        RETIRING,

        /** A setup request failed: being killed, never serves. */
        DISCARDED,

        /** Its process ended and it left the pool. */
        GONE,
    }

    var phase: Phase = Phase.STARTING

    /** Whether the worker said HELLO. */
    var helloReceived: Boolean = false

    /** Whether it ever reached [Phase.READY]; a worker that never did and crashes counts as failing to start. */
    var everReady: Boolean = false

    /** Requests sent to this worker and not answered yet, in the order they were sent. */
    val inFlight: LinkedHashMap<Long, Request> = LinkedHashMap()

    /** Setup requests not sent yet; sent one at a time, each after the previous one's answer. */
    val setup: ArrayDeque<Request> = ArrayDeque()

    /** Requests for this worker only, waiting until it takes tasks. */
    val pinned: ArrayDeque<Request> = ArrayDeque()

    /** Callers' tasks handed to it (for `maxTasksPerWorker`). */
    var tasksDispatched: Int = 0

    /** Requests it answered. */
    @Volatile var tasksDone: Long = 0

    /**
     * Since when it has had nothing in flight ([System.nanoTime]); set when it becomes [Phase.READY], so the idle clock
     * never counts its JVM start. Only read for a ready worker.
     */
    var idleSince: Long = System.nanoTime()

    /** Reader thread only: an answer skipped refilling because more frames were buffered; refill after them. */
    var dispatchDeferred: Boolean = false

    /** A fatal error the worker reported before exiting (an `OutOfMemoryError`). */
    @Volatile var fatal: String? = null

    /** Completed once it is ready (HELLO received and setup done); failed if it is gone before. */
    val started: CompletableDeferred<Unit> = CompletableDeferred()

    /** Tasks may be sent to it (the only phases in which the dispatcher looks at it). */
    val takesTasks: Boolean
        get() = phase == Phase.STARTING || phase == Phase.READY

    /** It is, or will be, serving: not retiring, discarded or gone. */
    val active: Boolean
        get() = phase == Phase.STARTING || phase == Phase.SETTING_UP || phase == Phase.READY

    /** Ready and nothing on it or waiting for it. */
    val idle: Boolean
        get() = phase == Phase.READY && inFlight.isEmpty() && pinned.isEmpty()

    val port: WorkerPort = open(this)

    val info: WorkerInfo
        get() = port.info

    override fun toString(): String = "slot-$id($phase, ${inFlight.size} in flight)"
}
