package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPoolException
import io.asynccpu.internal.codec.WireFailures

/**
 * A raw task ([EncodedTask.isRaw]) failed; [bytes] is the failure, encoded so that it can travel to the caller, where
 * [rebuild] turns it back into the exception the caller would have seen locally: the task's own exception type when its
 * class exists there, `RemoteTaskException` otherwise, `WorkerCrashedException` for a crashed worker, and the pool's
 * own exceptions for loading, decoding and size failures.
 *
 * @suppress
 */
@InternalAsyncCpuApi
public class EncodedFailureException(
    /** The encoded failure. */
    public val bytes: ByteArray
) : ProcessPoolException("a task failed; its failure is encoded for another process") {
    public companion object {
        /**
         * Encodes [error] (a failure of a raw task's `Deferred`, or any other exception) so that [rebuild] can recreate
         * it in another process. An [EncodedFailureException] keeps its bytes.
         */
        public fun encode(error: Throwable): ByteArray =
            if (error is EncodedFailureException) error.bytes else WireFailures.encode(error)

        /**
         * Rebuilds the exception encoded in [bytes] for the task described by [task]; [origin] (for example "member
         * 10.0.0.5:5701") is appended to the message of a worker crash.
         *
         * @throws IllegalArgumentException if [bytes] is not an encoded failure.
         */
        public fun rebuild(bytes: ByteArray, task: EncodedTask, origin: String?, maxFrameSize: Int): Throwable =
            WireFailures.rebuild(bytes, task.description, origin, maxFrameSize)
    }
}
