package io.asynccpu.internal.codec

import io.asynccpu.ProcessTask
import io.asynccpu.TaskEncodingException
import io.asynccpu.internal.protocol.RunHeader
import kotlinx.serialization.KSerializer
import kotlinx.serialization.builtins.nullable
import kotlinx.serialization.serializer

/**
 * The serializers of one task class: the class itself, and its result type read from its declared `ProcessTask<R>` type
 * argument. Results are always encoded as nullable, because Java reflection does not say whether `R` is nullable, and
 * nullable encoding of a non-null value is identical.
 */
internal class TaskType
private constructor(
    val taskClass: Class<*>,
    val taskSerializer: KSerializer<Any?>,
    val resultSerializer: KSerializer<Any?>,
) {
    /** The RUN header for this class, shared by all its calls (its encoding is cached). */
    val runHeader: RunHeader = RunHeader(RunHeader.KIND_TASK, taskClass.name)

    companion object {
        private val cache =
            object : ClassValue<TaskType>() {
                override fun computeValue(type: Class<*>): TaskType = resolve(type)
            }

        /** @throws TaskEncodingException if the class or its result type has no serializer. */
        fun of(taskClass: Class<*>): TaskType = cache.get(taskClass)

        private fun resolve(cls: Class<*>): TaskType {
            val taskSerializer =
                try {
                    serializer(cls)
                } catch (e: Exception) {
                    throw TaskEncodingException(
                        "Task class ${cls.name} is not serializable: annotate it with @Serializable " +
                            "(kotlinx.serialization) and apply the serialization compiler plugin; its properties " +
                            "are the task's arguments.",
                        e,
                    )
                }
            val resultType =
                JvmTypes.typeArgument(cls, ProcessTask::class.java, 0)
                    ?: throw TaskEncodingException("${cls.name} does not implement ProcessTask")
            if (JvmTypes.hasTypeVariable(resultType)) {
                throw TaskEncodingException(
                    "The result type of task ${cls.name} is the type variable '$resultType', which cannot be " +
                        "encoded: declare a concrete result type, e.g. ProcessTask<List<String>>."
                )
            }
            val resultSerializer =
                try {
                    BuiltinSerializers.of(resultType).nullable
                } catch (e: Exception) {
                    throw TaskEncodingException(
                        "The result type '${resultType.typeName}' of task ${cls.name} is not serializable: make it " +
                            "@Serializable or return a serializable type.",
                        e,
                    )
                }
            @Suppress("UNCHECKED_CAST")
            return TaskType(cls, taskSerializer as KSerializer<Any?>, resultSerializer)
        }
    }
}
