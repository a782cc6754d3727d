package io.asynccpu

/**
 * `submit` was called on a [ProcessPool] after `close()`. Create a new pool to run more work. (Tasks that were queued
 * when the pool was closed with `cancelPendingOnClose` are cancelled instead: their `Deferred` is cancelled like any
 * other cancelled coroutine.)
 */
public class PoolClosedException internal constructor(message: String) : ProcessPoolException(message)
