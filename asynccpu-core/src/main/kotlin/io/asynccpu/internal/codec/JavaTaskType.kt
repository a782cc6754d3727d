package io.asynccpu.internal.codec

import io.asynccpu.JavaTask
import io.asynccpu.TaskEncodingException
import java.lang.reflect.Constructor
import java.lang.reflect.Modifier
import kotlinx.serialization.KSerializer

/**
 * What the codec knows about one [JavaTask] class: its no-argument constructor and the serializers of its input and
 * output, read from the class's `JavaTask<I, O>` type arguments. Computed once per class, in the caller (at submission)
 * and in the worker (after the class was checked).
 */
internal class JavaTaskType
private constructor(
    val taskClass: Class<*>,
    val constructor: Constructor<*>,
    val inputSerializer: KSerializer<Any?>,
    val outputSerializer: KSerializer<Any?>,
) {
    val displayName: String = "Java task ${taskClass.simpleName}"

    companion object {
        // A class that fails is not cached (ClassValue does not keep a value when computeValue throws).
        private val cache =
            object : ClassValue<JavaTaskType>() {
                override fun computeValue(type: Class<*>): JavaTaskType = resolve(type)
            }

        /**
         * @throws IllegalArgumentException if the class cannot be instantiated by name in a worker.
         * @throws TaskEncodingException if its input or output type cannot be encoded.
         */
        fun of(taskClass: Class<*>): JavaTaskType = cache.get(taskClass)

        private fun resolve(cls: Class<*>): JavaTaskType {
            require(JavaTask::class.java.isAssignableFrom(cls)) { "${cls.name} does not implement JavaTask" }
            val constructor = instantiable(cls)
            val name = "Java task ${cls.name}"
            val input = JvmTypes.typeArgument(cls, JavaTask::class.java, 0)
            val output = JvmTypes.typeArgument(cls, JavaTask::class.java, 1)
            if (input == null || output == null) {
                throw TaskEncodingException(
                    "$name implements the raw type JavaTask: declare its types, e.g. implements JavaTask<Long, String>. " +
                        JavaTypeSerializers.SUPPORTED
                )
            }
            return JavaTaskType(
                cls,
                constructor,
                JavaTypeSerializers.nullableFor(input, "the input of $name"),
                JavaTypeSerializers.nullableFor(output, "the output of $name"),
            )
        }

        private fun instantiable(cls: Class<*>): Constructor<*> {
            val problem =
                when {
                    cls.isInterface || Modifier.isAbstract(cls.modifiers) -> "it is abstract"
                    cls.isAnonymousClass || cls.isLocalClass || cls.isSynthetic || cls.isHidden ->
                        "anonymous classes, local classes and lambdas cannot be loaded by name in a worker"
                    cls.isMemberClass && !Modifier.isStatic(cls.modifiers) ->
                        "it is an inner (non-static) class; declare it static"
                    else -> null
                }
            val constructor =
                if (problem == null) {
                    cls.declaredConstructors.firstOrNull { it.parameterCount == 0 }
                } else {
                    null
                }
            if (constructor == null) {
                throw IllegalArgumentException(
                    "${cls.name} cannot be used as a Java task: ${problem ?: "it has no no-argument constructor"}. " +
                        "A Java task is a concrete top-level or static nested class with a public no-argument " +
                        "constructor that implements JavaTask<I, O>."
                )
            }
            constructor.isAccessible = true
            return constructor
        }
    }
}
