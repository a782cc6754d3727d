package io.asynccpu

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class ResultTypesTest :
    FunSpec({
        val pool = ProcessPool { maxWorkers = 1 }
        afterSpec { pool.close() }

        test("a generic result type is read from the task's declared type argument") {
            pool.run(PointsTask(3)) shouldBe listOf(Point(0, 0), Point(1, 1), Point(2, 4))
        }

        test("Unit and null results") {
            pool.run(UnitTask()) shouldBe Unit
            pool.run(NullableTask(returnNull = true)) shouldBe null
            pool.run(NullableTask(returnNull = false)) shouldBe "value"
        }

        test("a 16 MiB byte array round-trips unchanged") {
            val payload = ByteArray(16 shl 20) { (it * 31).toByte() }
            pool.run(EchoTask(payload)).contentEquals(payload) shouldBe true
        }

        test("a result of hundreds of megabytes arrives intact") {
            val result = pool.run(BigResultTask(megabytes = 300))
            result.size shouldBe (300 shl 20)
            result[0] shouldBe 0.toByte()
            result[12345] shouldBe 12345.toByte()
            result[result.size - 1] shouldBe (result.size - 1).toByte()
        }
    })
