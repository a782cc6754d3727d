package io.asynccpu.internal.codec

import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import kotlinx.serialization.Serializable

/**
 * The encoded failures of raw calls (`EncodedFailureException`): one tag byte, then either a [RemoteFailure] (the body
 * of a FAILURE frame, or any exception captured with [RemoteFailures]) or a [CrashInfo] (a [WorkerCrashedException],
 * rebuilt as the same type in the caller).
 */
internal object WireFailures {
    private const val TAG_FAILURE: Byte = 0
    private const val TAG_CRASH: Byte = 1

    /** Wraps the body of a FAILURE frame without decoding it again. */
    fun ofFailureBody(body: ByteArray): ByteArray = tagged(TAG_FAILURE, body)

    fun encode(error: Throwable): ByteArray =
        if (error is WorkerCrashedException) {
            val info =
                CrashInfo(
                    error.message ?: "the worker crashed",
                    error.workerId,
                    error.pid,
                    error.exitCode,
                    error.signal,
                    error.lastOutput,
                )
            tagged(TAG_CRASH, ProtocolCbor.encodeToByteArray(CrashInfo.serializer(), info))
        } else {
            tagged(
                TAG_FAILURE,
                ProtocolCbor.encodeToByteArray(RemoteFailure.serializer(), RemoteFailures.capture(error)),
            )
        }

    fun rebuild(bytes: ByteArray, description: String, origin: String?, maxFrameSize: Int): Throwable {
        require(bytes.isNotEmpty()) { "not an encoded failure (empty)" }
        val body = bytes.copyOfRange(1, bytes.size)
        return try {
            when (bytes[0]) {
                TAG_FAILURE ->
                    RemoteFailures.rebuild(
                        ProtocolCbor.decodeFromByteArray(RemoteFailure.serializer(), body),
                        description,
                        maxFrameSize,
                        WireFailures::class.java.classLoader,
                    )
                TAG_CRASH -> {
                    val info = ProtocolCbor.decodeFromByteArray(CrashInfo.serializer(), body)
                    val where = if (origin == null) "" else " (on $origin)"
                    WorkerCrashedException(
                        info.message + where,
                        info.workerId,
                        info.pid,
                        info.exitCode,
                        info.signal,
                        info.lastOutput,
                    )
                }
                else -> throw IllegalArgumentException("not an encoded failure (tag ${bytes[0]})")
            }
        } catch (e: IllegalArgumentException) {
            throw e
        } catch (e: Exception) {
            throw IllegalArgumentException("not an encoded failure: $e", e)
        }
    }

    private fun tagged(tag: Byte, body: ByteArray): ByteArray {
        val out = ByteArray(body.size + 1)
        out[0] = tag
        body.copyInto(out, 1)
        return out
    }

    @Serializable
    private class CrashInfo(
        val message: String,
        val workerId: Int,
        val pid: Long,
        val exitCode: Int? = null,
        val signal: Int? = null,
        val lastOutput: List<String> = emptyList(),
    )
}
