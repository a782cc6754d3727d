package io.asynccpu

/**
 * An encoded task or result is larger than the pool's `maxFrameSize`.
 *
 * Raised by `submit` for an oversized task, and delivered through the `Deferred` for an oversized result (the worker
 * stays healthy). Raise `maxFrameSize` in the pool configuration, or pass large data by reference (a file path) instead
 * of by value.
 */
public class FrameTooLargeException
internal constructor(
    message: String,
    /** The encoded size in bytes. */
    public val size: Long,
    /** The configured limit in bytes. */
    public val limit: Int,
) : TaskEncodingException(message)
