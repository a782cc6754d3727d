package io.asynccpu

import io.asynccpu.internal.future.JavaDurations
import kotlin.time.Duration

/**
 * Something that happened in a [ProcessPool], for monitoring: collect [ProcessPool.events].
 *
 * Task events name the task by [TaskQueued.taskId], a number unique within the pool. Only ordinary submissions (tasks,
 * functions, map chunks, streams) produce task events; the pool's own requests (initializer, finalizer, broadcasts) do
 * not.
 */
public sealed class PoolEvent {
    /**
     * A worker process answered its first message and (after its initializer) is ready for tasks; its idle time
     * (`idleTimeout`) counts from here, and it comes before the worker's [WorkerRetired]. Its first tasks travel with
     * the JVM start, so their [TaskStarted] can come before it.
     */
    public class WorkerStarted internal constructor(public val worker: WorkerInfo) : PoolEvent() {
        override fun toString(): String = "WorkerStarted($worker)"
    }

    /**
     * A worker was asked to exit gracefully (its finalizer runs first) for [reason]. It follows the worker's
     * [WorkerStarted]; a worker retired before it came up (its setup failed, or the pool closed during its JVM start)
     * has no WorkerStarted.
     */
    public class WorkerRetired internal constructor(public val worker: WorkerInfo, public val reason: Reason) :
        PoolEvent() {
        /** Why a worker retired. */
        public enum class Reason {
            /** It was idle longer than `idleTimeout` and the pool had more than `minWorkers`. */
            IDLE,

            /** It ran `maxTasksPerWorker` tasks. */
            RECYCLED,

            /** Its initializer (or a sticky broadcast) failed, so it never served a task. */
            SETUP_FAILED,

            /** The pool was closed. */
            CLOSED,
        }

        override fun toString(): String = "WorkerRetired($worker, $reason)"
    }

    /** A worker died without being asked to (or was killed by the pool); [error] says how. */
    public class WorkerCrashed
    internal constructor(public val worker: WorkerInfo, public val error: WorkerCrashedException) : PoolEvent() {
        override fun toString(): String = "WorkerCrashed($worker)"
    }

    /** The pool became broken (see [BrokenPoolException]); [cause] is why. */
    public class PoolBroken internal constructor(public val cause: Throwable) : PoolEvent() {
        override fun toString(): String = "PoolBroken($cause)"
    }

    /** A task was submitted and waits for a worker. */
    public class TaskQueued internal constructor(public val taskId: Long, public val description: String) :
        PoolEvent() {
        override fun toString(): String = "TaskQueued($taskId, $description)"
    }

    /**
     * A task was handed to [worker]. It starts as soon as the worker has a free slot: with very short tasks the pool
     * sends a worker a few tasks ahead, so this can precede the actual start a little.
     */
    public class TaskStarted
    internal constructor(public val taskId: Long, public val description: String, public val worker: WorkerInfo) :
        PoolEvent() {
        override fun toString(): String = "TaskStarted($taskId, $description, $worker)"
    }

    /**
     * A task ended with [outcome]. [queuedTime] is the time from submission until the worker started it (including the
     * transfer); [runTime] the time it ran, measured in the worker when it reported one (a result), else the time from
     * hand-over to the end. [worker] is null for a task that ended before reaching a worker (cancelled while queued, or
     * failed by a broken pool).
     */
    public class TaskFinished
    internal constructor(
        public val taskId: Long,
        public val description: String,
        public val worker: WorkerInfo?,
        public val outcome: Outcome,
        public val queuedTime: Duration,
        public val runTime: Duration,
    ) : PoolEvent() {
        /** [queuedTime] as a `java.time.Duration`; Java calls it `getQueuedTime()`. */
        @get:JvmName("getQueuedTime")
        public val javaQueuedTime: java.time.Duration
            get() = JavaDurations.of(queuedTime)

        /** [runTime] as a `java.time.Duration`; Java calls it `getRunTime()`. */
        @get:JvmName("getRunTime")
        public val javaRunTime: java.time.Duration
            get() = JavaDurations.of(runTime)

        /** How a task ended. */
        public enum class Outcome {
            /** It returned a result. */
            SUCCEEDED,

            /** It threw, or its task or result could not be encoded. */
            FAILED,

            /** It was cancelled. */
            CANCELLED,

            /** Its worker crashed, or the pool was broken. */
            CRASHED,
        }

        override fun toString(): String =
            "TaskFinished($taskId, $description, $outcome, queued $queuedTime, ran $runTime)"
    }
}
