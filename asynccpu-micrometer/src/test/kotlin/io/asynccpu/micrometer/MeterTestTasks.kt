package io.asynccpu.micrometer

import io.asynccpu.ProcessTask
import kotlinx.coroutines.delay
import kotlinx.serialization.Serializable

// Tasks the meter tests send to real worker JVMs.

@Serializable
class Square(val x: Int) : ProcessTask<Int> {
    override suspend fun run(): Int = x * x
}

@Serializable
class Fail(val message: String) : ProcessTask<Int> {
    override suspend fun run(): Int = throw IllegalStateException(message)
}

@Serializable
class Halt : ProcessTask<Int> {
    override suspend fun run(): Int {
        Runtime.getRuntime().halt(9)
        return 0
    }
}

/** Prints "started" (so the test knows it runs), then sleeps until cancelled. */
@Serializable
class Sleep : ProcessTask<Int> {
    override suspend fun run(): Int {
        println("started")
        delay(60_000)
        return 0
    }
}
