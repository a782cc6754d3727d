package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

/**
 * With assertions on (as under Surefire), kotlinx.coroutines' stack-trace recovery makes `await()` throw a copy of the
 * exception whose cause is the original; this returns the original.
 */
fun <T : Throwable> unrecovered(e: T): T {
    val cause = e.cause
    @Suppress("UNCHECKED_CAST")
    return if (cause != null && cause.javaClass == e.javaClass && cause.message == e.message) cause as T else e
}

class RemoteExceptionTest :
    FunSpec({
        val pool = ProcessPool { maxWorkers = 1 }
        afterSpec { pool.close() }

        test("the caller catches the original exception type with the worker's stack frames") {
            val e = shouldThrow<ArithmeticException> { pool.run(ThrowingTask("arithmetic")) }
            e.message shouldBe "/ by zero"
            // In debug mode (tests run with -ea) kotlinx.coroutines may hand the caller a copy whose frames are the
            // caller's resume site, with the rebuilt exception as its cause: look through that copy.
            unrecovered(e).stackTrace.any {
                it.className == ThrowingTask::class.java.name && it.methodName == "run"
            } shouldBe true
        }

        test("the cause chain is rebuilt") {
            val e = unrecovered(shouldThrow<IllegalStateException> { pool.run(ThrowingTask("chain")) })
            e.message shouldBe "outer"
            val cause = e.cause.shouldBeInstanceOf<IllegalArgumentException>()
            cause.message shouldBe "inner"
        }

        test("suppressed exceptions are rebuilt") {
            val e = unrecovered(shouldThrow<RuntimeException> { pool.run(ThrowingTask("suppressed")) })
            e.message shouldBe "main"
            e.suppressed.toList() shouldHaveSize 1
            e.suppressed[0].shouldBeInstanceOf<IllegalArgumentException>().message shouldBe "extra"
        }

        test("an exception that cannot be rebuilt arrives as RemoteTaskException with class, message and frames") {
            val e = shouldThrow<RemoteTaskException> { pool.run(ThrowingTask("custom")) }
            e.remoteClassName shouldBe WorkerOnlyException::class.java.name
            e.remoteMessage shouldBe "custom: only the worker knows this type"
            e.message shouldContain "WorkerOnlyException"
            e.stackTrace.any { it.className == ThrowingTask::class.java.name } shouldBe true
        }

        test("a task failure leaves the worker healthy for the next task") {
            val pid = pool.run(PidTask())
            shouldThrow<ArithmeticException> { pool.run(ThrowingTask("arithmetic")) }
            pool.run(PidTask()) shouldBe pid
        }
    })
