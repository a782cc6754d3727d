package io.asynccpu.internal.codec

import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.RunHeader
import java.lang.reflect.InvocationTargetException
import java.lang.reflect.Method
import java.lang.reflect.Modifier
import java.lang.reflect.ParameterizedType
import java.lang.reflect.Type
import java.lang.reflect.WildcardType
import java.util.concurrent.ConcurrentHashMap
import kotlin.coroutines.Continuation
import kotlin.coroutines.intrinsics.suspendCoroutineUninterceptedOrReturn
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.nullable

/**
 * A top-level function, or a member of a Kotlin `object`, that can be called by name in a worker: its JVM method and
 * the serializers of its parameters and result (read from the method's generic signature; for a suspend function the
 * result type is the `Continuation` parameter's argument).
 */
internal class FunctionTarget private constructor(val owner: Class<*>, val method: Method, val onObject: Boolean) {
    val isSuspend: Boolean = method.parameterTypes.lastOrNull() == Continuation::class.java
    val descriptor: String = JvmTypes.descriptor(method)
    val displayName: String = "${owner.simpleName}.${method.name}"

    /** The RUN header for calls of this function, shared by all of them (its encoding is cached). */
    val runHeader: RunHeader by lazy {
        RunHeader(RunHeader.KIND_FUNCTION, owner.name, method.name, descriptor, onObject)
    }

    private val parameterTypes: List<Type> =
        method.genericParameterTypes.toList().let { if (isSuspend) it.dropLast(1) else it }

    val arity: Int
        get() = parameterTypes.size

    /** One serializer per parameter, in order. */
    val parameterSerializers: List<KSerializer<Any?>> =
        parameterTypes.mapIndexed { i, t -> serializerFor(t, "parameter ${i + 1}") }

    val argumentsSerializer: TupleSerializer = TupleSerializer(parameterSerializers)

    private val receiver: Any? by lazy { if (onObject) owner.getField("INSTANCE").get(null) else null }

    val resultSerializer: KSerializer<Any?> = serializerFor(resultType(), "result")

    private fun resultType(): Type {
        if (!isSuspend) return if (method.returnType == Void.TYPE) Unit::class.java else method.genericReturnType
        val continuation = method.genericParameterTypes.last() as? ParameterizedType ?: return Any::class.java
        return when (val arg = continuation.actualTypeArguments[0]) {
            is WildcardType -> arg.lowerBounds.firstOrNull() ?: arg.upperBounds.first()
            else -> arg
        }
    }

    private fun serializerFor(type: Type, what: String): KSerializer<Any?> {
        if (JvmTypes.hasTypeVariable(type)) {
            throw TaskEncodingException(
                "The $what of $displayName has the generic type '${type.typeName}', which cannot be encoded: " +
                    "give the function concrete parameter and result types."
            )
        }
        return try {
            BuiltinSerializers.of(type).nullable
        } catch (e: Exception) {
            throw TaskEncodingException(
                "The $what of $displayName has type '${type.typeName}', which is not serializable: use " +
                    "@Serializable classes, primitives, strings, collections or maps of them.",
                e,
            )
        }
    }

    /**
     * Calls a one-argument function with [arg] in this process: the per-item path of `map`, without the argument list
     * and array [call] allocates.
     */
    suspend fun call1(arg: Any?): Any? {
        try {
            if (!isSuspend) {
                val value = method.invoke(receiver, arg)
                return if (method.returnType == Void.TYPE) Unit else value
            }
            return suspendCoroutineUninterceptedOrReturn { continuation -> method.invoke(receiver, arg, continuation) }
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
    }

    /** Calls the function in this process (used in the worker). */
    suspend fun call(args: List<Any?>): Any? {
        try {
            if (!isSuspend) {
                val value = method.invoke(receiver, *args.toTypedArray())
                return if (method.returnType == Void.TYPE) Unit else value
            }
            return suspendCoroutineUninterceptedOrReturn { continuation ->
                method.invoke(receiver, *args.toTypedArray(), continuation)
            }
        } catch (e: InvocationTargetException) {
            throw e.targetException
        }
    }

    companion object {
        private val cache = ConcurrentHashMap<String, FunctionTarget>()

        /** Looks up a method by owner, name and descriptor; null if there is none. */
        fun find(owner: Class<*>, name: String, descriptor: String, onObject: Boolean): FunctionTarget? {
            val key = "${owner.name}#$name$descriptor#$onObject"
            cache[key]?.let {
                return it
            }
            val method =
                owner.declaredMethods.firstOrNull { it.name == name && JvmTypes.descriptor(it) == descriptor }
                    ?: return null
            if (!onObject && !Modifier.isStatic(method.modifiers)) return null
            method.isAccessible = true
            return FunctionTarget(owner, method, onObject).also { cache[key] = it }
        }
    }
}
