package io.asynccpu

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain

class Counter(var value: Int) {
    fun addTo(x: Int): Int = x + value
}

class FunctionReferenceTest : FunSpec({
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

    test("a member of an object runs in a worker") {
        pool.submit(MathFunctions::cube, 3L).await() shouldBe 27L
    }

    test("runFunction suspends until the result arrives") {
        pool.runFunction(::plainSquare, 7) shouldBe 49
    }

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
})
