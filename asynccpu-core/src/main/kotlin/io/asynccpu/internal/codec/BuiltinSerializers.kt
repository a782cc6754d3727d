package io.asynccpu.internal.codec

import java.lang.reflect.Type
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.serializer
import kotlinx.serialization.serializer

/**
 * Serializers by JVM type, with the common built-in types looked up in a small table first.
 *
 * kotlinx's reflective `serializer(Type)` returns the same objects for these types, but its first call in a JVM builds
 * its lookup tables (every built-in serializer, a `KClass` for each, the serializer caches): tens of milliseconds in a
 * fresh worker, on the path of its first request (W5). A function of primitives and strings never needs them.
 */
internal object BuiltinSerializers {
    private val table: Map<Class<*>, KSerializer<*>> =
        HashMap<Class<*>, KSerializer<*>>().apply {
            fun put(primitive: Class<*>?, boxed: Class<*>, serializer: KSerializer<*>) {
                if (primitive != null) put(primitive, serializer)
                put(boxed, serializer)
            }
            put(Int::class.javaPrimitiveType, Int::class.javaObjectType, Int.serializer())
            put(Long::class.javaPrimitiveType, Long::class.javaObjectType, Long.serializer())
            put(Short::class.javaPrimitiveType, Short::class.javaObjectType, Short.serializer())
            put(Byte::class.javaPrimitiveType, Byte::class.javaObjectType, Byte.serializer())
            put(Double::class.javaPrimitiveType, Double::class.javaObjectType, Double.serializer())
            put(Float::class.javaPrimitiveType, Float::class.javaObjectType, Float.serializer())
            put(Boolean::class.javaPrimitiveType, Boolean::class.javaObjectType, Boolean.serializer())
            put(Char::class.javaPrimitiveType, Char::class.javaObjectType, Char.serializer())
            put(null, String::class.java, String.serializer())
            put(null, Unit::class.java, Unit.serializer())
        }

    /**
     * The serializer of [type]: from the table for primitives, their boxes, `String` and `Unit`, else kotlinx's
     * `serializer(Type)`.
     *
     * @throws kotlinx.serialization.SerializationException if [type] has no serializer.
     */
    @Suppress("UNCHECKED_CAST")
    fun of(type: Type): KSerializer<Any> = (table[type] ?: serializer(type)) as KSerializer<Any>
}
