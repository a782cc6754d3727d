package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi

/**
 * Sends named payloads over the channel between the caller and one worker, in either direction, next to task requests
 * and results. Messages on one channel arrive in the order they were sent.
 *
 * [send] never blocks: the payload is queued and written by the channel's writer thread. Sending to a worker that has
 * exited silently drops the message.
 *
 * Internal to asynccpu's own modules ([InternalAsyncCpuApi]): it may change in any release.
 */
@InternalAsyncCpuApi
public fun interface SideChannel {
    /** Queues [payload] under [topic]. Payloads larger than the pool's `maxFrameSize` are dropped. */
    public fun send(topic: String, payload: ByteArray)
}
