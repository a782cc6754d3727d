package io.asynccpu.internal.codec

import java.lang.reflect.GenericArrayType
import java.lang.reflect.Method
import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.TypeVariable
import java.lang.reflect.WildcardType

/** Small helpers over `java.lang.reflect` types used by the codecs. */
internal object JvmTypes {
    /** The JVM descriptor of [method], e.g. `(ILjava/lang/String;)V`. */
    fun descriptor(method: Method): String =
        method.parameterTypes.joinToString("", "(", ")") { descriptor(it) } + descriptor(method.returnType)

    fun descriptor(c: Class<*>): String =
        when {
            c == Void.TYPE -> "V"
            c == Integer.TYPE -> "I"
            c == java.lang.Long.TYPE -> "J"
            c == java.lang.Boolean.TYPE -> "Z"
            c == java.lang.Byte.TYPE -> "B"
            c == Character.TYPE -> "C"
            c == java.lang.Short.TYPE -> "S"
            c == java.lang.Float.TYPE -> "F"
            c == java.lang.Double.TYPE -> "D"
            c.isArray -> c.name.replace('.', '/')
            else -> "L" + c.name.replace('.', '/') + ";"
        }

    fun rawClass(type: Type): Class<*>? =
        when (type) {
            is Class<*> -> type
            is ParameterizedType -> type.rawType as? Class<*>
            is WildcardType -> type.upperBounds.firstOrNull()?.let(::rawClass)
            else -> null
        }

    /** Whether [type] mentions a type variable anywhere (so it has no serializer by itself). */
    fun hasTypeVariable(type: Type): Boolean =
        when (type) {
            is TypeVariable<*> -> true
            is ParameterizedType -> type.actualTypeArguments.any(::hasTypeVariable)
            is WildcardType -> type.upperBounds.any(::hasTypeVariable) || type.lowerBounds.any(::hasTypeVariable)
            is GenericArrayType -> hasTypeVariable(type.genericComponentType)
            else -> false
        }

    /**
     * The type argument that [type] (a class, possibly generic) binds for parameter [index] of [target] somewhere up
     * its supertypes, or null if [type] does not extend [target]. Type variables bound along the way are substituted
     * when they are bound directly.
     */
    fun typeArgument(type: Type, target: Class<*>, index: Int): Type? = find(type, target, emptyMap())?.getOrNull(index)

    private fun find(type: Type, target: Class<*>, bindings: Map<TypeVariable<*>, Type>): List<Type>? {
        val raw = rawClass(type) ?: return null
        val args: List<Type> =
            when (type) {
                is ParameterizedType ->
                    type.actualTypeArguments.map { arg -> if (arg is TypeVariable<*>) bindings[arg] ?: arg else arg }
                else -> raw.typeParameters.map { bindings[it] ?: it }
            }
        if (raw == target) return args
        val own: Map<TypeVariable<*>, Type> = raw.typeParameters.zip(args).toMap()
        val supers = raw.genericInterfaces.toList() + listOfNotNull(raw.genericSuperclass)
        for (s in supers) find(s, target, own)?.let {
            return it
        }
        return null
    }
}
