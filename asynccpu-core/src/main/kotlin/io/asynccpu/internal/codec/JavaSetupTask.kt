package io.asynccpu.internal.codec

import io.asynccpu.JavaTask
import io.asynccpu.ProcessTask
import kotlinx.serialization.Serializable

/**
 * A [JavaTask] with its input, as the [ProcessTask] a pool runs as its initializer or finalizer
 * (`ProcessPool.builder().initializer(LoadModel.class, "model.bin")`). The input travels encoded, as for a submitted
 * Java task; in the worker the class is checked to implement [JavaTask] before it is instantiated, and its output is
 * discarded. Whatever `call` throws fails the setup as an initializer's exception does.
 */
@Serializable
internal class JavaSetupTask(private val className: String, private val input: ByteArray) : ProcessTask<Unit> {
    override suspend fun run() {
        val loader = Thread.currentThread().contextClassLoader ?: JavaSetupTask::class.java.classLoader
        val type = JavaTaskCodec.typeIn(Class.forName(className, false, loader))
        JavaTaskCodec.call(type, JavaTaskCodec.decodeBody(type, type.inputSerializer, input, "input"))
    }

    override fun toString(): String = "JavaSetupTask($className)"

    companion object {
        /** @throws IllegalArgumentException or TaskEncodingException as `submitAsync` does for bad input. */
        fun of(taskClass: Class<*>, input: Any?): JavaSetupTask =
            JavaSetupTask(taskClass.name, JavaTaskCodec.encode(taskClass, input, outOfBand = false).body)
    }
}
