package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolConfig
import io.asynccpu.Progress
import io.asynccpu.RemoteTaskException
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.codec.OutOfBand
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.codec.WireFailures
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.Hello
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.ParentBoundFrames
import io.asynccpu.internal.protocol.ProgressReport
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.ProtocolException
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.spi.EncodedFailureException
import io.asynccpu.spi.SideChannel

/**
 * Routes what one worker sends to where it belongs (its reader thread): answers to the requests' `Deferred`s (each
 * answered exactly once: the [Scheduler] hands out a request only once), stream items and progress reports to their
 * channels, HELLO and the worker's end to the scheduler, side-channel messages to the pool's extensions. Frames arrive
 * decoded, one handler method per type ([ParentBoundFrames]); one that cannot be decoded breaks the worker's channel
 * (the [ProtocolException] reaches [WorkerProcess], which kills the worker).
 */
@OptIn(io.asynccpu.InternalAsyncCpuApi::class)
internal class WorkerInbox(
    private val slot: WorkerSlot,
    private val scheduler: Scheduler,
    private val config: ProcessPoolConfig,
    private val remoteCancel: RemoteCancel,
    private val onGone: () -> Unit,
) : WorkerListener, ParentBoundFrames.Handler {
    override fun onFrame(frame: Frame, moreBuffered: Boolean) {
        ParentBoundFrames.dispatch(frame, moreBuffered, this)
        // Answers read in one go refill the worker once, after the last of them: one wake-up of the
        // writer thread and one write for the batch instead of one per answer.
        if (!moreBuffered && slot.dispatchDeferred) {
            slot.dispatchDeferred = false
            scheduler.dispatch()
        }
    }

    override fun onGone(exit: WorkerExit) {
        onGone()
        scheduler.onWorkerGone(slot, exit)
        config.extensions.forEach { ext -> runCatching { ext.onWorkerStopped(slot.info) } }
    }

    /**
     * Tells the extensions about the worker behind [port], just created: no request is queued for it yet, so what they
     * send now arrives ahead of its first one. Runs under the [Scheduler]'s lock.
     */
    fun created(port: WorkerPort) {
        val channel = SideChannel { topic, payload -> port.send(Messages.side(topic, payload)) }
        config.extensions.forEach { ext ->
            runCatching { ext.onWorkerCreated(port.info, channel) }
                .onFailure { System.err.println("asynccpu: extension ${ext.name} failed: $it") }
        }
    }

    override fun hello(hello: Hello) {
        scheduler.onHello(slot)
        val channel = SideChannel { topic, payload -> slot.port.send(Messages.side(topic, payload)) }
        config.extensions.forEach { ext ->
            runCatching { ext.onWorkerStarted(slot.info, channel) }
                .onFailure { System.err.println("asynccpu: extension ${ext.name} failed: $it") }
        }
    }

    override fun result(frame: Frame, runNanos: Long, moreBuffered: Boolean) {
        // A raw request's RUN asked for an answer without segments (FLAG_INLINE_ANSWER): its bytes must stand alone.
        if (frame.segments != null && scheduler.inFlight(slot, frame.id)?.encoded?.raw == true) {
            throw ProtocolException("RESULT ${frame.id} has segments; its RUN asked for none")
        }
        scheduler.prefetch.record(runNanos)
        val request = scheduler.answered(slot, frame.id, moreBuffered) ?: return
        request.runNanos = runNanos
        if (request.encoded.raw) {
            request.deferred.complete(Messages.resultBody(frame))
            return
        }
        // The request is no longer in flight: whatever happens now (even an OutOfMemoryError), it must be answered
        // here.
        val value =
            try {
                OutOfBand.decode(request.encoded.resultSerializer, Messages.resultBody(frame), frame.segments)
            } catch (e: Throwable) {
                val hint = if (e is OutOfMemoryError) " (the caller's heap is too small for this result)" else ""
                request.deferred.completeExceptionally(
                    TaskEncodingException(
                        "The result of ${request.encoded.description} could not be decoded$hint: $e",
                        e,
                    )
                )
                if (e is VirtualMachineError && e !is OutOfMemoryError) throw e
                return
            }
        request.deferred.complete(value)
    }

    /** A malformed FAILURE never gets here: it broke the channel, its request still in flight (settled as a crash). */
    override fun failure(id: Long, failure: RemoteFailure, body: ByteArray, moreBuffered: Boolean) {
        val request = scheduler.answered(slot, id, moreBuffered) ?: return
        if (request.encoded.raw) {
            request.deferred.completeExceptionally(EncodedFailureException(WireFailures.ofFailureBody(body)))
            return
        }
        val error =
            try {
                RemoteFailures.rebuild(failure, request.encoded.description, config.maxFrameSize, javaClass.classLoader)
            } catch (e: Throwable) {
                RemoteTaskException(failure.className, failure.message, e)
            }
        request.deferred.completeExceptionally(error)
    }

    override fun cancelled(id: Long, moreBuffered: Boolean) {
        scheduler.answered(slot, id, moreBuffered)?.deferred?.cancel()
    }

    override fun streamEnd(id: Long, moreBuffered: Boolean) {
        scheduler.answered(slot, id, moreBuffered)?.deferred?.complete(null)
    }

    override fun progress(id: Long, report: ProgressReport) {
        val channel = scheduler.inFlight(slot, id)?.progress ?: return
        channel.trySend(Progress(report.value, report.message))
    }

    override fun fatal(description: String) {
        slot.fatal = description
    }

    override fun side(topic: String, payload: ByteArray) {
        config.extensions.forEach { ext ->
            runCatching { ext.onMessage(slot.info, topic, payload) }
                .onFailure { System.err.println("asynccpu: extension ${ext.name} failed: $it") }
        }
    }

    override fun streamItem(id: Long, body: ByteArray) {
        val request = scheduler.inFlight(slot, id) ?: return
        val receiver = request.stream ?: throw ProtocolException("STREAM_ITEM for request $id, which is not a stream")
        val item =
            try {
                ProtocolCbor.decodeFromByteArray(request.encoded.resultSerializer, body)
            } catch (e: Exception) {
                request.deferred.completeExceptionally(
                    TaskEncodingException("An item of ${request.encoded.description} could not be decoded: $e", e)
                )
                remoteCancel.cancel(request)
                return
            }
        receiver.items.trySend(item)
    }
}
