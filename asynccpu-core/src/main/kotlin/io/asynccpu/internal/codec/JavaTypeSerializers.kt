package io.asynccpu.internal.codec

import io.asynccpu.TaskEncodingException
import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.TypeVariable
import java.lang.reflect.WildcardType
import java.util.Optional
import kotlinx.serialization.KSerializer
import kotlinx.serialization.Serializable
import kotlinx.serialization.builtins.ByteArraySerializer
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.builtins.MapSerializer
import kotlinx.serialization.builtins.SetSerializer
import kotlinx.serialization.builtins.nullable
import kotlinx.serialization.builtins.serializer
import kotlinx.serialization.serializer

/**
 * Builds kotlinx-serialization serializers for the input and output types of a Java task, from `java.lang.reflect`
 * types: primitives and boxes, `String`, `byte[]`, `Void`, the value types of [JavaValueSerializers] (primitive arrays,
 * `BigDecimal`, `BigInteger`, `UUID`, `java.time`), `Optional`, lists, sets and maps, records (by their components,
 * rebuilt through the canonical constructor), enums (by constant name) and Kotlin `@Serializable` classes. Anything
 * else is refused with a [TaskEncodingException] that names the type, where it was found, and the supported set.
 *
 * The types come from the task class's generic signature, never from the wire, so decoding can only create instances of
 * types the (already checked) task class declares.
 */
internal object JavaTypeSerializers {
    const val SUPPORTED: String =
        "Supported input and output types of a Java task: Java primitives and their boxes, String, " +
            "byte[], int[], long[], double[], float[], short[], boolean[], char[], BigDecimal, BigInteger, UUID, " +
            "java.time values (Instant, Duration, Period, LocalDate, LocalTime, LocalDateTime, OffsetDateTime, " +
            "OffsetTime, ZonedDateTime, Year, YearMonth, MonthDay, ZoneId, ZoneOffset, DayOfWeek, Month), " +
            "Optional<T> and List/Set/Map of supported types, records whose components are supported types, " +
            "enums, and Kotlin @Serializable classes."

    /** A nullable serializer for [type], found at [where] (e.g. "the input of Java task Foo"). */
    fun nullableFor(type: Type, where: String): KSerializer<Any?> = Builder().build(type, where, emptyMap()).nullable

    @Suppress("UNCHECKED_CAST") private fun <T> KSerializer<T>.erased(): KSerializer<Any> = this as KSerializer<Any>

    /** One resolution: remembers the records being built, to refuse recursive record types. */
    private class Builder {
        private val building = ArrayList<Class<*>>()

        /** A serializer for [type]: non-null for primitives, nullable for every reference type. */
        fun element(type: Type, where: String, bindings: Map<TypeVariable<*>, Type>): KSerializer<Any?> {
            val s = build(type, where, bindings)
            @Suppress("UNCHECKED_CAST")
            return if (type is Class<*> && type.isPrimitive) s as KSerializer<Any?> else s.nullable
        }

        fun build(type: Type, where: String, bindings: Map<TypeVariable<*>, Type>): KSerializer<Any> =
            when (type) {
                is Class<*> -> forClass(type, where)
                is ParameterizedType -> forParameterized(type, where, bindings)
                is WildcardType -> {
                    val bound = type.lowerBounds.firstOrNull() ?: type.upperBounds.firstOrNull() ?: Any::class.java
                    build(bound, where, bindings)
                }
                is TypeVariable<*> ->
                    bindings[type]?.let { build(it, where, bindings) }
                        ?: throw unsupported(type, where, "it is a type variable; bind it to a concrete type")
                else -> throw unsupported(type, where, null) // generic arrays and anything else
            }

        private fun forClass(cls: Class<*>, where: String): KSerializer<Any> {
            primitive(cls)?.let {
                return it
            }
            JavaValueSerializers.forClass(cls)?.let {
                return it
            }
            return when {
                cls == String::class.java -> String.serializer().erased()
                cls == ByteArray::class.java -> ByteArraySerializer().erased()
                cls == Void::class.java || cls == Void.TYPE -> Unit.serializer().erased()
                cls.isEnum || cls.superclass?.isEnum == true ->
                    JavaEnumSerializer(if (cls.isEnum) cls else cls.superclass).erased()
                cls.isRecord -> record(cls, emptyList(), where)
                cls.isAnnotationPresent(Serializable::class.java) -> kotlinSerializable(cls, where)
                isCollectionLike(cls) -> throw unsupported(cls, where, "give its element types, e.g. List<String>")
                cls == Optional::class.java ->
                    throw unsupported(cls, where, "give its value type, e.g. Optional<String>")
                else -> throw unsupported(cls, where, null)
            }
        }

        private fun forParameterized(
            type: ParameterizedType,
            where: String,
            bindings: Map<TypeVariable<*>, Type>,
        ): KSerializer<Any> {
            val raw = type.rawType as Class<*>
            val args = type.actualTypeArguments.map { substitute(it, bindings) }
            val inner = "in ${type.typeName}, $where"
            return when {
                raw.isAssignableFrom(ArrayList::class.java) ->
                    ListSerializer(element(args[0], inner, bindings)).erased()
                raw.isAssignableFrom(LinkedHashSet::class.java) ->
                    SetSerializer(element(args[0], inner, bindings)).erased()
                raw.isAssignableFrom(LinkedHashMap::class.java) ->
                    MapSerializer(element(args[0], inner, bindings), element(args[1], inner, bindings)).erased()
                raw == Optional::class.java -> OptionalSerializer(build(args[0], inner, bindings)).erased()
                raw.isRecord -> record(raw, args, where)
                raw.isAnnotationPresent(Serializable::class.java) -> kotlinSerializable(type, where)
                else -> throw unsupported(type, where, null)
            }
        }

        private fun record(cls: Class<*>, typeArgs: List<Type>, where: String): KSerializer<Any> {
            if (cls in building) {
                throw unsupported(cls, where, "recursive record types cannot be encoded")
            }
            building += cls
            try {
                val bindings: Map<TypeVariable<*>, Type> = cls.typeParameters.zip(typeArgs).toMap()
                val components =
                    cls.recordComponents.map { c ->
                        RecordSerializer.Component(
                            c,
                            element(c.genericType, "in component '${c.name}' of record ${cls.name}, $where", bindings),
                        )
                    }
                return RecordSerializer(cls, components).erased()
            } finally {
                building.removeAt(building.size - 1)
            }
        }

        private fun kotlinSerializable(type: Type, where: String): KSerializer<Any> =
            try {
                serializer(type).erased()
            } catch (e: Exception) {
                throw TaskEncodingException(
                    "The Kotlin class ${type.typeName} $where has no usable serializer: ${e.message}. $SUPPORTED",
                    e,
                )
            }

        private fun substitute(t: Type, bindings: Map<TypeVariable<*>, Type>): Type =
            if (t is TypeVariable<*>) bindings[t] ?: t else t

        private fun isCollectionLike(cls: Class<*>) =
            Collection::class.java.isAssignableFrom(cls) || Map::class.java.isAssignableFrom(cls)
    }

    private fun primitive(cls: Class<*>): KSerializer<Any>? =
        when (cls) {
            Integer.TYPE,
            Integer::class.java -> Int.serializer().erased()
            java.lang.Long.TYPE,
            java.lang.Long::class.java -> Long.serializer().erased()
            java.lang.Double.TYPE,
            java.lang.Double::class.java -> Double.serializer().erased()
            java.lang.Float.TYPE,
            java.lang.Float::class.java -> Float.serializer().erased()
            java.lang.Boolean.TYPE,
            java.lang.Boolean::class.java -> Boolean.serializer().erased()
            java.lang.Short.TYPE,
            java.lang.Short::class.java -> Short.serializer().erased()
            java.lang.Byte.TYPE,
            java.lang.Byte::class.java -> Byte.serializer().erased()
            Character.TYPE,
            Character::class.java -> Char.serializer().erased()
            else -> null
        }

    private fun unsupported(type: Type, where: String, hint: String?): TaskEncodingException =
        TaskEncodingException(
            "Type '${type.typeName}' ($where) cannot travel to a worker" +
                (if (hint != null) ": $hint" else "") +
                ". $SUPPORTED"
        )
}
