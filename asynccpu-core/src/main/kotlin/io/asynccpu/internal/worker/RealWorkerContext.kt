package io.asynccpu.internal.worker

import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.spi.SideChannel
import io.asynccpu.spi.TaskInterceptor
import io.asynccpu.spi.WorkerContext
import io.asynccpu.spi.WorkerPlugin
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CopyOnWriteArrayList

/** The worker side of the extension SPI: side-channel handlers, exit hooks and plugin start-up. */
internal class RealWorkerContext(
    override val workerId: Int,
    private val writer: FrameWriter,
    private val maxFrameSize: Int,
) : WorkerContext {
    private val handlers = ConcurrentHashMap<String, (ByteArray) -> Unit>()
    private val exitActions = CopyOnWriteArrayList<() -> Unit>()

    /** Registered [TaskInterceptor]s, outermost first; read by the [TaskRunner] for every request. */
    val interceptors = CopyOnWriteArrayList<TaskInterceptor>()

    override val toParent: SideChannel = SideChannel { topic, payload ->
        if (Protocol.fits(2L + topic.length + payload.size, maxFrameSize)) writer.send(Messages.side(topic, payload))
    }

    override fun onMessage(topic: String, handler: (ByteArray) -> Unit) {
        handlers[topic] = handler
    }

    override fun beforeExit(action: () -> Unit) {
        exitActions += action
    }

    override fun currentTaskId(): Long? = currentTask.get()

    override fun interceptTasks(interceptor: TaskInterceptor) {
        interceptors += interceptor
    }

    fun dispatch(topic: String, payload: ByteArray) {
        val handler = handlers[topic] ?: return
        try {
            handler(payload)
        } catch (e: Exception) {
            System.err.println("asynccpu: side-channel handler for '$topic' failed: $e")
        }
    }

    fun runExitActions() {
        exitActions.forEach { runCatching(it) }
    }

    /** Starts the plugins named (comma-separated) in the `asynccpu.worker.plugins` property. */
    fun startPlugins(names: String?) {
        names
            ?.split(',')
            ?.map { it.trim() }
            ?.filter { it.isNotEmpty() }
            ?.forEach { name ->
                try {
                    val cls = Class.forName(name, false, RealWorkerContext::class.java.classLoader)
                    require(WorkerPlugin::class.java.isAssignableFrom(cls)) { "$name does not implement WorkerPlugin" }
                    (cls.getConstructor().newInstance() as WorkerPlugin).start(this)
                } catch (e: Exception) {
                    System.err.println("asynccpu: worker plugin $name failed to start: $e")
                }
            }
    }

    companion object {
        val currentTask: ThreadLocal<Long?> = ThreadLocal()
    }
}
