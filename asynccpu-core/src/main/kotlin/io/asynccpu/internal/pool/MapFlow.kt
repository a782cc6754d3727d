package io.asynccpu.internal.pool

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPool
import io.asynccpu.internal.codec.ChunkCodec
import io.asynccpu.internal.codec.ChunkOutcome
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.spi.EncodedTask
import io.asynccpu.spi.EncodedTaskSubmitter
import java.util.Collections
import java.util.IdentityHashMap
import kotlin.reflect.KFunction
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.FlowCollector
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore

/**
 * `ProcessPool.map`: cuts the inputs into chunks, sends each chunk as one request (the function is applied to every
 * element in the worker), and emits the results, in input order or as chunks finish.
 *
 * At most `buffer` chunks are submitted and not yet consumed (a semaphore taken before each submit and released once
 * the chunk's results were emitted), so an unbounded input runs in constant memory and a slow collector stops the
 * reading of the input. Every chunk submitted and not consumed is cancelled when the collection ends early, so
 * cancelling the collector cancels the remote work.
 */
@OptIn(InternalAsyncCpuApi::class)
internal object MapFlow {
    fun <R> create(
        pool: ProcessPool,
        function: KFunction<*>,
        inputs: Flow<Any?>,
        chunkSize: Int,
        buffer: Int,
        ordered: Boolean,
    ): Flow<R> {
        checkArguments(chunkSize, buffer)
        // refuses lambdas and non-serializable types now
        return create(pool, ChunkCodec.template(function), inputs, chunkSize, buffer, ordered)
    }

    fun checkArguments(chunkSize: Int, buffer: Int) {
        require(chunkSize >= 1) { "chunkSize must be at least 1, was $chunkSize" }
        require(buffer >= 1) { "buffer must be at least 1, was $buffer" }
    }

    fun <R> create(
        pool: ProcessPool,
        template: ChunkCodec.Template,
        inputs: Flow<Any?>,
        chunkSize: Int,
        buffer: Int,
        ordered: Boolean,
    ): Flow<R> {
        checkArguments(chunkSize, buffer)
        val submitter =
            pool as? EncodedTaskSubmitter
                ?: throw IllegalArgumentException(
                    "map needs a pool created by ProcessPool { } or ProcessPool.builder(), not ${pool.javaClass.name}"
                )
        return flow {
            val live: MutableSet<Deferred<Any?>> =
                Collections.synchronizedSet(Collections.newSetFromMap(IdentityHashMap()))
            val permits = Semaphore(buffer)
            val ready = Channel<Any?>(Channel.UNLIMITED)
            try {
                coroutineScope {
                    val producer = launch {
                        var count = 0
                        val failure =
                            try {
                                chunks(inputs, chunkSize) { chunk ->
                                    permits.acquire()
                                    val deferred =
                                        submitter.submitEncoded(EncodedTask(ChunkCodec.encode(template, chunk)))
                                    live += deferred
                                    count++
                                    if (ordered) ready.send(deferred)
                                    else deferred.invokeOnCompletion { ready.trySend(deferred) }
                                }
                                null
                            } catch (e: CancellationException) {
                                throw e
                            } catch (e: Throwable) {
                                e
                            }
                        ready.send(End(count, failure))
                    }
                    var consumed = 0
                    var end: End? = null
                    while (end == null || consumed < end.count) {
                        val next = ready.receive()
                        if (next is End) {
                            end = next
                            continue
                        }
                        @Suppress("UNCHECKED_CAST") val deferred = next as Deferred<Any?>
                        val outcome = deferred.await() as ChunkOutcome
                        live -= deferred
                        consumed++
                        emitOutcome<R>(outcome, pool, template)
                        permits.release()
                    }
                    end.failure?.let { throw it }
                    producer.join()
                }
            } finally {
                val left = synchronized(live) { live.toList() }
                left.forEach { it.cancel() }
            }
        }
    }

    private suspend fun <R> FlowCollector<R>.emitOutcome(
        outcome: ChunkOutcome,
        pool: ProcessPool,
        template: ChunkCodec.Template,
    ) {
        for (value in outcome.results) {
            @Suppress("UNCHECKED_CAST") emit(value as R)
        }
        val failure = outcome.failure ?: return
        throw RemoteFailures.rebuild(
            failure,
            template.description,
            pool.config.maxFrameSize,
            MapFlow::class.java.classLoader,
        )
    }

    /**
     * Cuts [inputs] into chunks of [size] and hands each to [action]. When the input throws, the partly filled chunk of
     * the items read before the failure is still handed over, then the exception is rethrown: the caller gets the
     * results of every input before the failing one.
     */
    private suspend fun chunks(inputs: Flow<Any?>, size: Int, action: suspend (List<Any?>) -> Unit) {
        var chunk = ArrayList<Any?>(size)
        try {
            inputs.collect { item ->
                chunk.add(item)
                if (chunk.size == size) {
                    val full = chunk
                    chunk = ArrayList(size) // emptied before the action: a failure in it leaves nothing to resend
                    action(full)
                }
            }
        } catch (e: Throwable) {
            if (e !is CancellationException && chunk.isNotEmpty()) action(chunk)
            throw e
        }
        if (chunk.isNotEmpty()) action(chunk)
    }

    private class End(val count: Int, val failure: Throwable?)
}
