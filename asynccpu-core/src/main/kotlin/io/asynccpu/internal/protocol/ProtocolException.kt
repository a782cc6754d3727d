package io.asynccpu.internal.protocol

import java.io.IOException

/** The byte stream between parent and child is not a valid sequence of frames. */
internal class ProtocolException(message: String, cause: Throwable? = null) : IOException(message, cause)
