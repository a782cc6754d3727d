package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.PoolClosedException
import io.asynccpu.PoolEvent
import io.asynccpu.TaskEncodingException
import io.asynccpu.TaskLoadingException
import io.asynccpu.WorkerCrashedException
import java.util.concurrent.atomic.LongAdder
import kotlinx.coroutines.CancellationException

/**
 * The pool's cumulative counters behind [io.asynccpu.PoolStats]: tasks by outcome, worker starts, crashes and
 * retirements, and the total queue and run time. Updating one is a [LongAdder] increment (no lock, no allocation), so
 * the scheduler updates them on its hot path.
 */
internal class PoolCounters {
    val submitted = LongAdder()
    val started = LongAdder()
    val succeeded = LongAdder()
    val failed = LongAdder()
    val failedEncoding = LongAdder()
    val crashed = LongAdder()
    val cancelled = LongAdder()
    val queueNanos = LongAdder()
    val runNanos = LongAdder()
    val timedRuns = LongAdder()
    val workersStarted = LongAdder()
    val workersCrashed = LongAdder()
    val workersRetired = LongAdder()
    val workersRecycled = LongAdder()

    /** A task was handed to a worker [queuedNanos] after its submission. */
    fun taskStarted(queuedNanos: Long) {
        started.increment()
        queueNanos.add(queuedNanos.coerceAtLeast(0))
    }

    /** A task ended with [cause] (null: a result) after running [ranNanos] (negative: never reached a worker). */
    fun taskFinished(cause: Throwable?, ranNanos: Long) {
        when (outcomeOf(cause)) {
            Outcome.SUCCEEDED -> succeeded
            Outcome.FAILED -> failed
            Outcome.ENCODING -> failedEncoding
            Outcome.CRASHED -> crashed
            Outcome.CANCELLED -> cancelled
        }.increment()
        if (ranNanos >= 0) {
            runNanos.add(ranNanos)
            timedRuns.increment()
        }
    }

    fun workerRetired(reason: PoolEvent.WorkerRetired.Reason) {
        workersRetired.increment()
        if (reason == PoolEvent.WorkerRetired.Reason.RECYCLED) workersRecycled.increment()
    }

    enum class Outcome {
        SUCCEEDED,
        FAILED,
        ENCODING,
        CRASHED,
        CANCELLED,
    }

    companion object {
        /** How a task's end is counted: infrastructure failures apart from the task's own exceptions. */
        fun outcomeOf(cause: Throwable?): Outcome =
            when (cause) {
                null -> Outcome.SUCCEEDED
                is CancellationException -> Outcome.CANCELLED
                is WorkerCrashedException,
                is BrokenPoolException,
                is PoolClosedException -> Outcome.CRASHED
                is TaskEncodingException,
                is TaskLoadingException -> Outcome.ENCODING
                else -> Outcome.FAILED
            }

        /**
         * The run time of [call] as reported by its worker, else measured from hand-over to [now]; -1 if never sent.
         */
        fun runNanosOf(call: Request, now: Long): Long {
            val run = call.runNanos
            if (run >= 0) return run
            val dispatched = call.dispatchedAt
            return if (dispatched > 0) now - dispatched else -1
        }
    }
}
