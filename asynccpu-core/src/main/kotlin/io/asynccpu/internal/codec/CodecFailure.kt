package io.asynccpu.internal.codec

/**
 * Raised in a worker when a request cannot be turned into a call or a result cannot be encoded; [kind] is one of the
 * infrastructure kinds of [io.asynccpu.internal.protocol.RemoteFailure].
 */
internal class CodecFailure(val kind: Int, message: String, cause: Throwable? = null) : Exception(message, cause)
