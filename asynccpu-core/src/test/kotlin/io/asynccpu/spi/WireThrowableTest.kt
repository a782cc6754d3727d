package io.asynccpu.spi

import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPool
import io.asynccpu.ProcessTask
import io.asynccpu.RemoteTaskException
import io.asynccpu.WorkerOnlyException
import io.asynccpu.unrecovered
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.serialization.Serializable

/** Throws an exception with a cause chain and a suppressed exception that has a cause of its own. */
@Serializable
class ChainAndSuppressedTask : ProcessTask<String> {
    override suspend fun run(): String = throw chainAndSuppressed()
}

fun chainAndSuppressed(): IllegalStateException =
    IllegalStateException("outer", IllegalArgumentException("middle", UnsupportedOperationException("inner"))).apply {
        addSuppressed(RuntimeException("closing", java.io.IOException("disk")))
    }

/** Frames as the wire keeps them (a JDK frame's module and class loader names are not carried). */
private fun Iterable<StackTraceElement>.plain() = map {
    "${it.className}.${it.methodName}(${it.fileName}:${it.lineNumber})"
}

private class StandIn(val remoteClassName: String, message: String?, cause: Throwable?) :
    RuntimeException(message, cause)

@OptIn(InternalAsyncCpuApi::class)
class WireThrowableTest :
    FunSpec({
        test("a throwable survives bytes with its class, message, frames, cause chain and suppressed exceptions") {
            val original = chainAndSuppressed()
            val wire = WireThrowable.fromBytes(WireThrowable.capture(original).toBytes())
            wire.className shouldBe "java.lang.IllegalStateException"
            wire.message shouldBe "outer"
            wire.frames.plain() shouldBe original.stackTrace.toList().plain()
            wire.cause.shouldNotBeNull().className shouldBe "java.lang.IllegalArgumentException"
            wire.cause!!.cause.shouldNotBeNull().message shouldBe "inner"
            wire.suppressed.single().cause.shouldNotBeNull().className shouldBe "java.io.IOException"

            val rebuilt = wire.rebuild(javaClass.classLoader, ::StandIn).shouldBeInstanceOf<IllegalStateException>()
            rebuilt.stackTrace.toList().plain() shouldBe original.stackTrace.toList().plain()
            rebuilt.cause
                .shouldBeInstanceOf<IllegalArgumentException>()
                .cause
                .shouldBeInstanceOf<UnsupportedOperationException>()
            val suppressed = rebuilt.suppressed.single().shouldBeInstanceOf<RuntimeException>()
            suppressed.cause.shouldBeInstanceOf<java.io.IOException>().message shouldBe "disk"
        }

        test("a class that cannot be rebuilt becomes the caller's stand-in, keeping the cause and frames") {
            val original = WorkerOnlyException("no usable constructor").apply { initCause(ArithmeticException("root")) }
            val rebuilt =
                WireThrowable.capture(original).rebuild(javaClass.classLoader, ::StandIn).shouldBeInstanceOf<StandIn>()
            rebuilt.remoteClassName shouldBe WorkerOnlyException::class.java.name
            rebuilt.message shouldBe "custom: no usable constructor"
            rebuilt.cause.shouldBeInstanceOf<ArithmeticException>().message shouldBe "root"
            rebuilt.stackTrace.toList().plain() shouldBe original.stackTrace.toList().plain()
            val unknown = WireThrowable.capture(original).rebuild(ClassLoader.getPlatformClassLoader(), ::StandIn)
            unknown.shouldBeInstanceOf<StandIn>()
        }

        test("a getMessage() that throws and a cause cycle are captured, not thrown") {
            val cyclic =
                object : RuntimeException() {
                    override val message: String
                        get() = throw IllegalStateException("no message today")
                }
            val other = IllegalArgumentException("other", cyclic)
            cyclic.initCause(other)
            val wire = WireThrowable.capture(cyclic)
            wire.message.shouldNotBeNull() shouldStartWith "<getMessage() threw"
            wire.cause.shouldNotBeNull().message shouldBe "other"
            wire.cause!!.cause shouldBe null
        }

        test("bytes that are not an encoded throwable are refused with IllegalArgumentException") {
            shouldThrow<IllegalArgumentException> { WireThrowable.fromBytes(byteArrayOf(1, 2, 3)) }
        }

        test("a task's failure with a cause chain and suppressed exceptions arrives whole from a real worker") {
            ProcessPool { maxWorkers = 1 }
                .use { pool ->
                    val e = unrecovered(shouldThrow<IllegalStateException> { pool.run(ChainAndSuppressedTask()) })
                    e.message shouldBe "outer"
                    e.stackTrace.any { it.className == ChainAndSuppressedTask::class.java.name } shouldBe true
                    val middle = e.cause.shouldBeInstanceOf<IllegalArgumentException>()
                    middle.cause.shouldBeInstanceOf<UnsupportedOperationException>().message shouldBe "inner"
                    e.suppressed.toList() shouldHaveSize 1
                    e.suppressed[0]
                        .shouldBeInstanceOf<RuntimeException>()
                        .cause
                        .shouldBeInstanceOf<java.io.IOException>()
                        .message shouldBe "disk"
                    (e.cause !is RemoteTaskException) shouldBe true
                }
        }
    })
