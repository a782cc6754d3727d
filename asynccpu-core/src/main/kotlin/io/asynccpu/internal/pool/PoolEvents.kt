package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.PoolEvent
import io.asynccpu.WorkerCrashedException
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.BufferOverflow
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.SharedFlow
import kotlinx.coroutines.flow.asSharedFlow

/**
 * The pool's event stream. Emitting never blocks or suspends (a bounded buffer that drops the oldest events for a slow
 * collector), and costs nothing but a volatile read while nobody collects, so the scheduler can emit under its lock and
 * on its hot path.
 */
internal class PoolEvents {
    private val flow =
        MutableSharedFlow<PoolEvent>(extraBufferCapacity = BUFFER, onBufferOverflow = BufferOverflow.DROP_OLDEST)

    val events: SharedFlow<PoolEvent> = flow.asSharedFlow()

    val active: Boolean
        get() = flow.subscriptionCount.value > 0

    inline fun emit(event: () -> PoolEvent) {
        if (active) flow.tryEmit(event())
    }

    fun taskFinished(call: Request, cause: Throwable?) {
        if (!active) return
        val now = System.nanoTime()
        val dispatched = call.dispatchedAt
        val run = call.runNanos
        val queued: Long
        val ran: Long
        when {
            run >= 0 -> {
                ran = run
                queued = (now - call.submittedAt - run).coerceAtLeast(0)
            }
            dispatched > 0 -> {
                ran = now - dispatched
                queued = dispatched - call.submittedAt
            }
            else -> {
                ran = 0
                queued = now - call.submittedAt
            }
        }
        val outcome =
            when (cause) {
                null -> PoolEvent.TaskFinished.Outcome.SUCCEEDED
                is CancellationException -> PoolEvent.TaskFinished.Outcome.CANCELLED
                is WorkerCrashedException,
                is BrokenPoolException -> PoolEvent.TaskFinished.Outcome.CRASHED
                else -> PoolEvent.TaskFinished.Outcome.FAILED
            }
        flow.tryEmit(
            PoolEvent.TaskFinished(
                call.id,
                call.encoded.description,
                call.lastSlot?.info,
                outcome,
                queued.nanoseconds,
                ran.nanoseconds,
            )
        )
    }

    private companion object {
        const val BUFFER = 4096
    }
}
