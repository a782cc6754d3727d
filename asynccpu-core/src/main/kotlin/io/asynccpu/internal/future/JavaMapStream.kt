package io.asynccpu.internal.future

import io.asynccpu.ProcessPool
import io.asynccpu.internal.codec.ChunkCodec
import io.asynccpu.internal.pool.MapFlow
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletionException
import java.util.stream.Stream
import java.util.stream.StreamSupport
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.channels.ChannelResult
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.channels.produce
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.flowOn
import kotlinx.coroutines.runBlocking

/**
 * `ProcessPool.map` for Java: the Kotlin map flow of a [io.asynccpu.JavaTask] behind a lazy, sequential
 * `java.util.stream.Stream`. The flow starts when the stream's first element is asked for and runs in [JavaScope]; the
 * stream's iterator takes items from it through a rendezvous channel, so nothing is read ahead beyond the map's own
 * `buffer` of chunks. Closing the stream cancels the flow, which cancels the chunks in flight in the workers.
 */
internal object JavaMapStream {
    fun <I, O> create(
        pool: ProcessPool,
        taskClass: Class<*>,
        inputs: Iterator<I>,
        chunkSize: Int,
        buffer: Int,
        ordered: Boolean,
    ): Stream<O> {
        MapFlow.checkArguments(chunkSize, buffer)
        val template = ChunkCodec.javaTemplate(taskClass) // refuses unsupported types now
        // The input iterator may block (a file, a queue): read it on the IO dispatcher.
        val source: Flow<Any?> = inputs.asFlow().flowOn(Dispatchers.IO)
        val results = FlowIterator(MapFlow.create<O>(pool, template, source, chunkSize, buffer, ordered))
        val characteristics = if (ordered) Spliterator.ORDERED else 0
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(results, characteristics), false)
            .onClose(results::close)
    }
}

/** A blocking iterator over a flow, started on the first [hasNext]. */
private class FlowIterator<T>(private val flow: Flow<T>) : Iterator<T>, AutoCloseable {
    private val started = lazy<ReceiveChannel<T>> { JavaScope.produce(capacity = 0) { flow.collect { send(it) } } }
    private val channel: ReceiveChannel<T> by started
    private var next: ChannelResult<T>? = null

    override fun hasNext(): Boolean {
        val result = next ?: runBlocking { channel.receiveCatching() }.also { next = it }
        if (!result.isClosed) return true
        val failure = result.exceptionOrNull() ?: return false
        throw when (failure) {
            is RuntimeException,
            is Error -> failure
            else -> CompletionException(failure)
        }
    }

    override fun next(): T {
        if (!hasNext()) throw NoSuchElementException()
        val value = next!!.getOrThrow()
        next = null
        return value
    }

    override fun close() {
        if (started.isInitialized()) channel.cancel()
    }
}
