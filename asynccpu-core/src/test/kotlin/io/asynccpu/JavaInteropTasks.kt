package io.asynccpu

import io.asynccpu.future.SignalClient
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.awaitCancellation

// Kotlin tasks that the Java tests (src/test/java) submit from Java.

/**
 * Talks to the test over a [io.asynccpu.future.Signals] channel. Mode "block": reports "started <pid>", suspends until
 * cancelled, reports "cancelled". Mode "await": reports "started <pid>", then returns the next line the test sends.
 */
@kotlinx.serialization.Serializable
class SignallingTask(val port: Int, val mode: String) : ProcessTask<String> {
    override suspend fun run(): String =
        SignalClient.connect(port).use { signals ->
            signals.send("started ${ProcessHandle.current().pid()}")
            when (mode) {
                "block" ->
                    try {
                        awaitCancellation()
                    } catch (e: CancellationException) {
                        signals.send("cancelled")
                        throw e
                    }
                else -> signals.receive()
            }
        }
}
