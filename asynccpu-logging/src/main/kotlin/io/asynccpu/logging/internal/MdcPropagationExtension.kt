package io.asynccpu.logging.internal

import io.asynccpu.spi.PoolExtension
import org.slf4j.MDC

/**
 * The caller's side of MDC propagation: copies the allowed MDC keys of the submitting thread into the request context,
 * under [PREFIX]. Its [MdcWorkerPlugin] puts them in the worker's MDC.
 */
internal class MdcPropagationExtension : PoolExtension {
    @Volatile private var keys: List<String> = emptyList()

    override val name: String = "asynccpu.mdc"

    override val workerPlugins: List<String> = listOf(MdcWorkerPlugin::class.java.name)

    fun add(more: List<String>) {
        keys = (keys + more).distinct()
    }

    override fun captureContext(): Map<String, String> {
        var context: HashMap<String, String>? = null
        for (key in keys) {
            val value = MDC.get(key) ?: continue
            (context ?: HashMap<String, String>().also { context = it })[PREFIX + key] = value
        }
        return context ?: emptyMap()
    }

    companion object {
        /** Request-context keys that carry MDC entries start with this. */
        const val PREFIX: String = "mdc."
    }
}
