package io.asynccpu.internal.pool

import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import kotlin.time.Duration

/**
 * Cancels a request that reached a worker: sends CANCEL once, and kills the worker if the request is still running
 * after the grace period (a sick worker never serves again; the kill fails only what was running on it, as a crash).
 */
internal class RemoteCancel(private val scheduler: Scheduler, private val gracePeriod: Duration) {
    fun cancel(request: Request) {
        val slot = scheduler.sendCancel(request) { Messages.control(Protocol.TYPE_CANCEL, request.id) } ?: return
        Timers.schedule(gracePeriod.inWholeMilliseconds) {
            if (scheduler.isInFlight(request)) {
                slot.port.kill(
                    "${request.encoded.description} did not stop within the cancel grace period ($gracePeriod)"
                )
            }
        }
    }
}
