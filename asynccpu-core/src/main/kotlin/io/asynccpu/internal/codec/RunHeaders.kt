package io.asynccpu.internal.codec

import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RunHeader
import java.util.concurrent.ConcurrentHashMap
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.ByteArraySerializer

/**
 * Rebuilds calls received as bytes from another process (`EncodedTask.fromWire`). The header bytes are those of
 * [RunHeader.runHead] (u32 length, CBOR header); the same task class always sends the same bytes, so decoded headers
 * are cached (a bounded cache: cleared when full).
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
        require(head.size >= 5) { "not an encoded task header (${head.size} bytes)" }
        val length =
            ((head[0].toInt() and 0xff) shl 24) or
                ((head[1].toInt() and 0xff) shl 16) or
                ((head[2].toInt() and 0xff) shl 8) or
                (head[3].toInt() and 0xff)
        require(length == head.size - 4) {
            "not an encoded task header (length $length, ${head.size - 4} bytes follow)"
        }
        val key = String(head, Charsets.ISO_8859_1)
        cache[key]?.let {
            return it
        }
        val header =
            try {
                ProtocolCbor.decodeFromByteArray(RunHeader.serializer(), head.copyOfRange(4, head.size))
            } catch (e: Exception) {
                throw IllegalArgumentException("not an encoded task header: $e", e)
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
