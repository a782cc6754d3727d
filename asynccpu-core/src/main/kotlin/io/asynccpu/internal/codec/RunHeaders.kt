package io.asynccpu.internal.codec

import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.ProtocolException
import io.asynccpu.internal.protocol.RunHeader
import java.util.concurrent.ConcurrentHashMap
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.ByteArraySerializer

/**
 * Rebuilds calls received as bytes from another process (`EncodedTask.fromWire`). The header bytes are those of
 * [RunHeader.runHead] (u32 length, CBOR header), decoded as a worker decodes them ([Messages.parseRunHeader]); the same
 * task class always sends the same bytes, so decoded headers are cached (a bounded cache: cleared when full).
 */
internal object RunHeaders {
    private const val MAX_CACHED = 1024
    private val cache = ConcurrentHashMap<String, RunHeader>()

    @Suppress("UNCHECKED_CAST") private val rawSerializer = ByteArraySerializer() as KSerializer<Any?>

    fun raw(head: ByteArray, body: ByteArray): EncodedCall {
        val header = decode(head)
        return EncodedCall(header, body, rawSerializer, describe(header), raw = true)
    }

    private fun decode(head: ByteArray): RunHeader {
        val key = String(head, Charsets.ISO_8859_1)
        cache[key]?.let {
            return it
        }
        val header =
            try {
                Messages.parseRunHeader(head)
            } catch (e: ProtocolException) {
                throw IllegalArgumentException("not an encoded task header: ${e.message}", e)
            }
        if (cache.size >= MAX_CACHED) cache.clear()
        cache[key] = header
        return header
    }

    private fun describe(header: RunHeader): String {
        val simple = header.className.substringAfterLast('.')
        return when (header.kind) {
            RunHeader.KIND_FUNCTION -> "function $simple.${header.functionName}"
            RunHeader.KIND_MAP_CHUNK -> "map chunk of function $simple.${header.functionName}"
            RunHeader.KIND_STREAM -> "stream $simple"
            else -> "task $simple"
        }
    }
}
