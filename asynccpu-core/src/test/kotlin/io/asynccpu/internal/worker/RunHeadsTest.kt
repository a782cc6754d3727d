package io.asynccpu.internal.worker

import io.asynccpu.SumOfSquares
import io.asynccpu.internal.codec.CodecFailure
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.kotest.matchers.types.shouldNotBeSameInstanceAs
import kotlinx.coroutines.runBlocking

class RunHeadsTest :
    FunSpec({
        val loader = RunHeadsTest::class.java.classLoader

        test("requests with the same head bytes share one resolution, and each body still decodes on its own") {
            val heads = RunHeads(loader)
            val first = TaskCodec.encodeTask(SumOfSquares(3))
            val second = TaskCodec.encodeTask(SumOfSquares(4))
            val a = heads.resolve(first.header.runHead().copyOf()) // as read from the wire: a new array per frame
            val b = heads.resolve(second.header.runHead().copyOf())
            b shouldBeSameInstanceAs a
            a.header.className shouldBe SumOfSquares::class.java.name
            runBlocking { a.decoder.decode(first.body, null).block() } shouldBe 5L
            runBlocking { b.decoder.decode(second.body, null).block() } shouldBe 14L
        }

        test("a head with a request context is resolved every time (it differs per request)") {
            val heads = RunHeads(loader)
            val head =
                TaskCodec.encodeTask(SumOfSquares(3)).header.withContext(mapOf("traceparent" to "00-1")).runHead()
            heads.resolve(head.copyOf()) shouldNotBeSameInstanceAs heads.resolve(head.copyOf())
        }

        test("a refused head is refused again on every request, and nothing beyond the capacity is kept") {
            val heads = RunHeads(loader, capacity = 1)
            val refused = RunHeader(RunHeader.KIND_FUNCTION, "java.lang.Runtime", "exit", "(I)V").runHead()
            repeat(2) {
                shouldThrow<CodecFailure> { heads.resolve(refused.copyOf()) }.kind shouldBe RemoteFailure.KIND_LOADING
            }
            val kept = TaskCodec.encodeTask(SumOfSquares(3)).header.runHead()
            heads.resolve(kept.copyOf()) shouldBeSameInstanceAs heads.resolve(kept.copyOf())
            val other = RunHeader(RunHeader.KIND_TASK, SumOfSquares::class.java.name, functionName = "x").runHead()
            heads.resolve(other.copyOf()) shouldNotBeSameInstanceAs heads.resolve(other.copyOf())
        }
    })
