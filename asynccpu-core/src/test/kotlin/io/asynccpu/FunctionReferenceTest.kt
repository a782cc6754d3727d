package io.asynccpu

import io.asynccpu.internal.worker.main as workerMain
import io.asynccpu.userfunctions.MathFunctions
import io.asynccpu.userfunctions.cpuBound
import io.asynccpu.userfunctions.noArguments
import io.asynccpu.userfunctions.pidOf
import io.asynccpu.userfunctions.plainSquare
import io.asynccpu.userfunctions.sumPoints
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import kotlin.system.exitProcess

class Counter(var value: Int) {
    fun addTo(x: Int): Int = x + value
}

class FunctionReferenceTest :
    FunSpec({
        val pool = ProcessPool { maxWorkers = 1 }
        afterSpec { pool.close() }

        test("a top-level suspend function runs in a worker") {
            pool.submit(::cpuBound, 2).await() shouldBe "task 2: 332833500"
            pool.submit(::pidOf).await() shouldNotBe ProcessHandle.current().pid()
        }

        test("plain functions with zero, one and three arguments, generic and nullable") {
            pool.submit(::noArguments).await() shouldBe "none"
            pool.submit(::plainSquare, 12).await() shouldBe 144
            val points = listOf(Point(1, 2), Point(3, 4))
            pool.submit(::sumPoints, points, mapOf("w" to 2), null).await() shouldBe 20
            pool.submit(::sumPoints, points, emptyMap(), 5).await() shouldBe 15
        }

        test("a member of an object runs in a worker") { pool.submit(MathFunctions::cube, 3L).await() shouldBe 27L }

        test("runFunction suspends until the result arrives") { pool.runFunction(::plainSquare, 7) shouldBe 49 }

        test("a bound reference is refused at submit with a message naming the forms that work") {
            val counter = Counter(5)
            val e = shouldThrow<IllegalArgumentException> { pool.submit(counter::addTo, 1) }
            e.message shouldContain "bound reference"
            e.message shouldContain "ProcessTask"
            e.message shouldContain "top-level function"
        }

        test("a local function is refused at submit") {
            fun local(x: Int): Int = x + 1
            val e = shouldThrow<IllegalArgumentException> { pool.submit(::local, 1) }
            e.message shouldContain "top-level function"
        }

        test("a constructor reference is refused at submit") {
            val e = shouldThrow<IllegalArgumentException> { pool.submit(::Counter, 1) }
            e.message shouldContain "constructor"
        }

        test("a function of the Kotlin or Java platform is refused at submit, with what to do instead") {
            val exit = shouldThrow<IllegalArgumentException> { pool.submit(::exitProcess, 0) }
            exit.message shouldContain "kotlin.system"
            exit.message shouldContain "platform"
            exit.message shouldContain "in your own package"
            val upper = shouldThrow<IllegalArgumentException> { pool.map(String::uppercase, listOf("a")) }
            upper.message shouldContain "kotlin.text"
        }

        test("a function of the library itself is refused at submit") {
            val e = shouldThrow<IllegalArgumentException> { pool.submit(::workerMain, arrayOf("x")) }
            e.message shouldContain "io.asynccpu.internal.worker.WorkerMain"
            e.message shouldContain "asynccpu library itself"
            // The pool still runs the application's functions.
            pool.submit(::plainSquare, 3).await() shouldBe 9
        }
    })
