package io.asynccpu.spi

import io.asynccpu.ProcessTask
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.coroutineContext
import kotlinx.coroutines.withContext
import kotlinx.serialization.Serializable

/** A fake extension: sends the caller thread's [tenant] with each request; its plugin puts it around the task. */
class ContextEchoExtension : PoolExtension {
    override val name: String = "test.context-echo"
    override val workerPlugins: List<String> = listOf(ContextEchoPlugin::class.java.name)

    override fun captureContext(): Map<String, String> = tenant.get()?.let { mapOf("tenant" to it) } ?: emptyMap()

    companion object {
        val tenant: ThreadLocal<String?> = ThreadLocal()
    }
}

/** What the interceptor saw, in the task's coroutine context. */
class Seen(val taskId: Long, val context: Map<String, String>) : AbstractCoroutineContextElement(Key) {
    companion object Key : CoroutineContext.Key<Seen>
}

class ContextEchoPlugin : WorkerPlugin {
    override fun start(context: WorkerContext) {
        context.interceptTasks { task, proceed -> withContext(Seen(task.id, task.context)) { proceed() } }
    }
}

/** Returns "taskId|context" as the interceptor saw them. */
@Serializable
class EchoContextTask : ProcessTask<String> {
    override suspend fun run(): String {
        val seen = coroutineContext[Seen] ?: return "not intercepted"
        return "${seen.taskId}|${seen.context}"
    }
}
