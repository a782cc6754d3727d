package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.JavaTask
import io.asynccpu.ProcessTask
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.codec.RunHeaders
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.protocol.ProtocolCbor
import kotlin.reflect.KFunction

/**
 * A task, function call, Java task or `map` chunk already encoded as the bytes a worker runs: an opaque [header] (what
 * to run) and a [body] (the task's fields or the arguments). Built on the caller's side with [of], [ofJavaTask] or
 * [ofFunction] (these refuse bad input exactly as `ProcessPool.submit` does), shipped to another process as bytes, and
 * rebuilt there with [fromWire].
 *
 * A task rebuilt with [fromWire] is *raw*: an [EncodedTaskSubmitter] completes its `Deferred` with the result's encoded
 * bytes (a `ByteArray`), not a decoded value, and fails it with [EncodedFailureException] carrying the encoded failure,
 * so that the bytes can travel back to the caller, who decodes them with [decodeResult] or
 * [EncodedFailureException.rebuild].
 *
 * @suppress
 */
@InternalAsyncCpuApi
public class EncodedTask internal constructor(internal val call: EncodedCall) {
    /** What to run (task class, function or chunk), encoded; identical for every task of one class or function. */
    public val header: ByteArray
        get() = call.header.runHead()

    /** The encoded task fields or arguments. */
    public val body: ByteArray
        get() = call.body

    /** How error messages name the task: "task SumOfSquares", "function cpuBound". */
    public val description: String
        get() = call.description

    /** Whether this task came from [fromWire] (its results and failures stay encoded). */
    public val isRaw: Boolean
        get() = call.raw

    /**
     * Decodes the result bytes a raw copy of this task produced into the task's declared result type.
     *
     * @throws io.asynccpu.TaskEncodingException if the bytes do not decode as that type.
     */
    public fun decodeResult(bytes: ByteArray): Any? =
        try {
            ProtocolCbor.decodeFromByteArray(call.resultSerializer, bytes)
        } catch (e: Exception) {
            throw io.asynccpu.TaskEncodingException("The result of ${call.description} could not be decoded: $e", e)
        }

    public companion object {
        /** Encodes [task]. @throws io.asynccpu.TaskEncodingException if it cannot be encoded. */
        public fun of(task: ProcessTask<*>): EncodedTask = EncodedTask(TaskCodec.encodeTask(task, outOfBand = false))

        /** Encodes a run of the Java task [taskClass] with [input]; refuses bad input as `ProcessPool.submit` does. */
        public fun ofJavaTask(taskClass: Class<out JavaTask<*, *>>, input: Any?): EncodedTask =
            EncodedTask(TaskCodec.encodeJavaTask(taskClass, input, outOfBand = false))

        /** Encodes a call of [function] with [args]; refuses lambdas and bad arguments as `submitFunction` does. */
        public fun ofFunction(function: KFunction<*>, args: List<Any?>): EncodedTask =
            EncodedTask(TaskCodec.encodeFunction(function, args, outOfBand = false))

        /**
         * Rebuilds a raw task from a [header] and [body] received from another process. Nothing is loaded or
         * instantiated here: the worker checks the class named in the header before it touches it, as for any request.
         *
         * @throws IllegalArgumentException if [header] is not a header produced by this library.
         */
        public fun fromWire(header: ByteArray, body: ByteArray): EncodedTask = EncodedTask(RunHeaders.raw(header, body))
    }
}
