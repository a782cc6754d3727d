package io.asynccpu.internal.pool

import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.spi.PoolExtension
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Builds a request's context from the extensions' [PoolExtension.captureContext], on the caller's thread at submission,
 * within the bounds documented there.
 */
internal object RequestContexts {
    private val warned = AtomicBoolean()

    /**
     * The RUN head carrying the context captured now, or null when there is none (the request then uses its header's
     * cached head: no encoding, nothing allocated).
     */
    fun runHead(extensions: List<PoolExtension>, header: RunHeader): ByteArray? {
        if (extensions.isEmpty()) return null
        val context = capture(extensions)
        return if (context.isEmpty()) null else header.withContext(context).runHead()
    }

    fun capture(extensions: List<PoolExtension>): Map<String, String> {
        var result: LinkedHashMap<String, String>? = null
        for (extension in extensions) {
            val entries =
                try {
                    extension.captureContext()
                } catch (e: Exception) {
                    warnOnce("extension ${extension.name} failed to capture the request context: $e")
                    continue
                }
            for ((key, value) in entries) {
                val map = result ?: LinkedHashMap<String, String>().also { result = it }
                when {
                    key.length > PoolExtension.MAX_CONTEXT_KEY_LENGTH ||
                        value.length > PoolExtension.MAX_CONTEXT_VALUE_LENGTH ->
                        warnOnce(
                            "request context entry '${key.take(32)}' dropped: longer than the bounds of PoolExtension.captureContext"
                        )
                    map.size >= PoolExtension.MAX_CONTEXT_ENTRIES && key !in map ->
                        warnOnce(
                            "request context entry '$key' dropped: more than ${PoolExtension.MAX_CONTEXT_ENTRIES} entries"
                        )
                    else -> map[key] = value
                }
            }
        }
        return result ?: emptyMap()
    }

    private fun warnOnce(message: String) {
        if (warned.compareAndSet(false, true)) System.err.println("asynccpu: $message (reported once)")
    }
}
