package io.asynccpu.logging

import io.asynccpu.ProcessPool
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.longs.shouldBeBetween
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.flow.onSubscription

class LogRecordContentTest :
    FunSpec({
        test("an SLF4J call in a worker arrives as a structured record before the task's result") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    val started = System.currentTimeMillis()
                    val seen = pool.run(RichRecordTask())
                    // Delivered before the result completed: no waiting needed.
                    val records = collector.of("test.rich")
                    records.size shouldBe 2

                    val fluent = records[0]
                    fluent.level shouldBe LogLevel.WARN
                    fluent.message shouldBe "rich formatted record"
                    fluent.threadName shouldBe seen.thread
                    fluent.workerPid shouldBe seen.pid
                    fluent.workerId shouldBe 1
                    fluent.taskId.shouldNotBeNull()
                    fluent.epochMillis.shouldBeBetween(started - 1_000, System.currentTimeMillis() + 1_000)
                    fluent.mdc shouldBe mapOf("user" to "alice")
                    fluent.markers shouldContainExactly listOf("AUDIT")
                    fluent.keyValues shouldContainExactly listOf("answer" to "42", "nothing" to null)
                    val thrown = fluent.throwable.shouldNotBeNull()
                    thrown.className shouldBe "java.lang.IllegalStateException"
                    thrown.message shouldBe "outer"
                    thrown.frames.first().className shouldBe RichRecordTask::class.java.name
                    thrown.cause.shouldNotBeNull().className shouldBe "java.lang.IllegalArgumentException"
                    thrown.cause!!.message shouldBe "inner"

                    val classic = records[1]
                    classic.level shouldBe LogLevel.ERROR
                    classic.message shouldBe "classic one and two"
                    classic.markers shouldContainExactly listOf("CLASSIC")
                    classic.taskId shouldBe fluent.taskId
                    classic.throwable.shouldNotBeNull().className shouldBe WorkerOnlyError::class.java.name
                    classic.throwable!!.message shouldBe "boom/7"
                }
        }

        test("the throwable of a record is rebuilt as its own class when the caller can, else as a stand-in") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool ->
                    pool.run(RichRecordTask())
                    val (fluent, classic) = collector.of("test.rich")
                    val rebuilt = fluent.throwable.shouldNotBeNull().toThrowable()
                    (rebuilt is IllegalStateException) shouldBe true
                    rebuilt.message shouldBe "outer"
                    (rebuilt.cause is IllegalArgumentException) shouldBe true
                    rebuilt.stackTrace.first().className shouldBe RichRecordTask::class.java.name

                    val standIn = classic.throwable.shouldNotBeNull().toThrowable()
                    standIn.message.shouldNotBeNull() shouldStartWith WorkerOnlyError::class.java.name
                }
        }

        test("tasks on a reused worker get distinct task ids and records outside tasks have none") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        listener = collector
                        configurer = CountingConfigurer("unused")
                    }
                }
                .use { pool ->
                    pool.run(LogOnceTask("test.ids", "a"))
                    pool.run(LogOnceTask("test.ids", "b"))
                    val ids = collector.of("test.ids").map { it.taskId }
                    ids.size shouldBe 2
                    (ids[0] != ids[1]) shouldBe true
                    collector.awaitLogger("test.configurer").single().taskId.shouldBeNull()
                }
        }

        test("the worker's SLF4J reports no provider problems on its stderr") {
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs { listener = collector }
                }
                .use { pool -> pool.run(LogOnceTask("test.quiet", "hello")) }
            // The pool is closed: every line the worker wrote has been delivered.
            collector.of(LogRecord.STDERR_LOGGER).filter { "SLF4J" in it.message }.shouldBeEmpty()
            collector.of("test.quiet").map { it.message } shouldContainExactly listOf("hello")
        }

        test("records can be collected as a Flow") {
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs()
                }
                .use { pool ->
                    val forwarding = pool.logForwarding
                    val subscribed = kotlinx.coroutines.CompletableDeferred<Unit>()
                    kotlinx.coroutines.coroutineScope {
                        val first = async {
                            forwarding.records
                                .onSubscription { subscribed.complete(Unit) }
                                .first { it.loggerName == "test.flow" }
                        }
                        subscribed.await()
                        pool.run(LogOnceTask("test.flow", "via flow"))
                        kotlinx.coroutines.withTimeout(60_000) { first.await() }.message shouldBe "via flow"
                    }
                }
        }
    })
