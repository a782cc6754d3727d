package io.asynccpu.logging.internal

import io.asynccpu.spi.WorkerContext
import io.asynccpu.spi.WorkerPlugin
import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.withContext
import org.slf4j.MDC

/**
 * The worker's side of MDC propagation: around each request whose context has MDC entries, puts them in the MDC of
 * whichever thread runs the task's coroutine, and restores that thread's previous values whenever the coroutine leaves
 * it (suspends, ends).
 *
 * Public in bytecode because the core instantiates it by name; not an API.
 */
internal class MdcWorkerPlugin : WorkerPlugin {
    override fun start(context: WorkerContext) {
        context.interceptTasks { task, proceed ->
            val entries =
                task.context.entries
                    .filter { it.key.startsWith(MdcPropagationExtension.PREFIX) }
                    .associate { it.key.substring(MdcPropagationExtension.PREFIX.length) to it.value }
            if (entries.isEmpty()) proceed() else withContext(MdcEntries(entries)) { proceed() }
        }
    }
}

/** Sets [entries] in the MDC while the coroutine runs on a thread; restores the thread's own values after. */
internal class MdcEntries(private val entries: Map<String, String>) : ThreadContextElement<Map<String, String?>> {
    companion object Key : CoroutineContext.Key<MdcEntries>

    override val key: CoroutineContext.Key<MdcEntries>
        get() = Key

    override fun updateThreadContext(context: CoroutineContext): Map<String, String?> {
        val previous = HashMap<String, String?>(entries.size)
        for ((k, v) in entries) {
            previous[k] = MDC.get(k)
            MDC.put(k, v)
        }
        return previous
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Map<String, String?>) {
        for ((k, v) in oldState) if (v == null) MDC.remove(k) else MDC.put(k, v)
    }
}
