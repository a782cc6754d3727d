package io.asynccpu.logging.internal

import io.asynccpu.logging.WorkerConfigurer
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.serializer

/**
 * Encodes a [WorkerConfigurer] in the caller (class name + CBOR of its properties) and decodes it in the worker. Only
 * classes that implement [WorkerConfigurer] are ever loaded for decoding, and they are checked before they are
 * initialised.
 */
internal object ConfigurerCodec {
    /** @throws IllegalArgumentException if [configurer]'s class is not `@Serializable`. */
    fun encode(configurer: WorkerConfigurer): Pair<String, ByteArray> {
        val cls = configurer.javaClass
        val serializer =
            try {
                @Suppress("UNCHECKED_CAST")
                serializer(cls) as KSerializer<WorkerConfigurer>
            } catch (e: SerializationException) {
                throw IllegalArgumentException(
                    "The WorkerConfigurer ${cls.name} cannot travel to the workers: mark it @Serializable " +
                        "(a class whose properties are serializable, or an object).",
                    e,
                )
            }
        return cls.name to LogCbor.encodeToByteArray(serializer, configurer)
    }

    fun decode(className: String, bytes: ByteArray, loader: ClassLoader?): WorkerConfigurer {
        val cls = Class.forName(className, false, loader)
        require(WorkerConfigurer::class.java.isAssignableFrom(cls)) { "$className does not implement WorkerConfigurer" }
        @Suppress("UNCHECKED_CAST") val serializer = serializer(cls) as KSerializer<WorkerConfigurer>
        return LogCbor.decodeFromByteArray(serializer, bytes)
    }
}
