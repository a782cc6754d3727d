package io.asynccpu.internal.pool

import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.protocol.ProtocolException

/** Builds the [WorkerCrashedException] that says how a worker ended and what it was running. */
internal object CrashReports {
    fun crashException(slot: WorkerSlot, exit: WorkerExit, request: Request?): WorkerCrashedException {
        val code = exit.exitCode
        val signal = if (code != null && code > 128 && code - 128 <= 64) code - 128 else null
        val how =
            when {
                exit.killReason != null -> "was killed by the pool: ${exit.killReason}"
                slot.fatal != null -> "hit a fatal error: ${slot.fatal}"
                exit.cause is ProtocolException ->
                    "sent a malformed frame (${exit.cause.message}), so the pool killed it"
                signal != null -> "was killed by signal $signal${signalName(signal)} (exit code $code)"
                code != null -> "exited with code $code"
                exit.cause != null -> "broke its channel: ${exit.cause}"
                else -> "stopped"
            }
        val what =
            if (request != null) " while running ${request.encoded.description}" else " before it could run a task"
        val output =
            if (exit.lastOutput.isEmpty()) {
                " It wrote nothing to stdout or stderr."
            } else {
                " Last output:\n  " + exit.lastOutput.joinToString("\n  ")
            }
        val retry = if (request != null) " The task was not retried; resubmit it if it is safe to run again." else ""
        val pid = slot.info.pid
        return WorkerCrashedException(
            "Worker ${slot.id} (pid $pid) $how$what.$retry$output",
            slot.id,
            pid,
            code,
            signal,
            exit.lastOutput,
            exit.cause,
        )
    }

    private fun signalName(signal: Int) =
        when (signal) {
            9 -> " (SIGKILL)"
            15 -> " (SIGTERM)"
            6 -> " (SIGABRT)"
            11 -> " (SIGSEGV)"
            else -> ""
        }
}
