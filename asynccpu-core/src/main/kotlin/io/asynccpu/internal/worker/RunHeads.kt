package io.asynccpu.internal.worker

import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.RunHeader
import java.util.concurrent.ConcurrentHashMap

/**
 * What the RUN heads a worker receives resolve to, worked out once per distinct head: the header decoded, the class
 * checked and loaded, the task type or function found ([TaskCodec.resolve]).
 *
 * The parent sends the same head bytes for every call of a task class or function (its cached `runHead`), so a small
 * task's request costs one hash and one comparison of those bytes instead of a CBOR decode of the header, a class
 * lookup and a method lookup. Identical bytes decode to the same header and pass the same checks, so the cache changes
 * no decision. Heads that carry a request context differ per request and are not kept; at most [capacity] heads are.
 */
internal class RunHeads(private val loader: ClassLoader, private val capacity: Int = CAPACITY) {
    /** A resolved head: the header and the decoder of the bodies sent with it. */
    class Resolved(val header: RunHeader, val decoder: TaskCodec.BodyDecoder)

    private class Key(val head: ByteArray) {
        private val hash = head.contentHashCode()

        override fun hashCode(): Int = hash

        override fun equals(other: Any?): Boolean = other is Key && other.hash == hash && other.head.contentEquals(head)
    }

    private val cache = ConcurrentHashMap<Key, Resolved>()

    /**
     * @throws io.asynccpu.internal.protocol.ProtocolException for a malformed head.
     * @throws io.asynccpu.internal.codec.CodecFailure if what it names cannot be run.
     */
    fun resolve(head: ByteArray): Resolved {
        val key = Key(head)
        cache[key]?.let {
            return it
        }
        val header = Messages.parseRunHeader(head)
        val resolved = Resolved(header, TaskCodec.resolve(header, loader))
        if (header.context.isEmpty() && cache.size < capacity) cache[key] = resolved
        return resolved
    }

    private companion object {
        const val CAPACITY = 256
    }
}
