package io.asynccpu.internal.worker

import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameWriter
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * In the coroutine context of every request a worker runs: its id, the channel to the parent and its [TaskEntry], so
 * that code deep inside a task (progress reports, a streaming task's items) can send frames that belong to this
 * request.
 */
internal class RequestContext(
    val id: Long,
    private val writer: FrameWriter,
    val entry: TaskEntry,
    val maxFrameSize: Int,
) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<RequestContext>

    fun send(frame: Frame) = writer.send(frame)
}
