package io.asynccpu.logging

import ch.qos.logback.classic.Level
import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.LoggerContext
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.asynccpu.ProcessPool
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.maps.shouldContain
import io.kotest.matchers.maps.shouldContainKey
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import org.slf4j.LoggerFactory
import org.slf4j.MDC

/** Keeps events like an appender that formats later would: MDC and thread are fixed at append time. */
private class DeferredListAppender : ListAppender<ILoggingEvent>() {
    override fun append(event: ILoggingEvent) {
        event.prepareForDeferredProcessing()
        super.append(event)
    }
}

/** Attaches a capturing appender to the caller's logback logger [name] at [level]. */
private fun capture(name: String, level: Level = Level.TRACE): ListAppender<ILoggingEvent> {
    val context = LoggerFactory.getILoggerFactory() as LoggerContext
    val logger: Logger = context.getLogger(name)
    logger.level = level
    logger.isAdditive = false
    return DeferredListAppender().also {
        it.context = context
        it.start()
        logger.addAppender(it)
    }
}

class Slf4jLogRecordListenerTest :
    FunSpec({
        test("the caller's SLF4J binding stays logback") {
            (LoggerFactory.getILoggerFactory() is LoggerContext) shouldBe true
        }

        test(
            "worker records are re-emitted into the caller's logback under the same logger and level, with worker MDC"
        ) {
            val rich = capture("test.rich")
            val plain = capture("test.relay")
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs()
                }
                .use { pool ->
                    val seen = pool.run(RichRecordTask())
                    pool.run(LogOnceTask("test.relay", "literal {} stays"))

                    val (fluent, classic) = rich.list
                    fluent.loggerName shouldBe "test.rich"
                    fluent.level shouldBe Level.WARN
                    fluent.formattedMessage shouldBe "rich formatted record"
                    fluent.mdcPropertyMap shouldContain ("user" to "alice")
                    fluent.mdcPropertyMap shouldContain (Slf4jLogRecordListener.MDC_WORKER to "1")
                    fluent.mdcPropertyMap shouldContain (Slf4jLogRecordListener.MDC_PID to seen.pid.toString())
                    fluent.mdcPropertyMap shouldContain (Slf4jLogRecordListener.MDC_THREAD to seen.thread)
                    fluent.mdcPropertyMap shouldContainKey Slf4jLogRecordListener.MDC_TASK
                    fluent.markerList.map { it.name } shouldContainExactly listOf("AUDIT")
                    fluent.keyValuePairs.map { it.key to it.value } shouldContainExactly
                        listOf("answer" to "42", "nothing" to null)
                    fluent.throwableProxy.className shouldBe "java.lang.IllegalStateException"
                    fluent.throwableProxy.cause.className shouldBe "java.lang.IllegalArgumentException"
                    fluent.throwableProxy.stackTraceElementProxyArray.first().stackTraceElement.className shouldBe
                        RichRecordTask::class.java.name

                    classic.level shouldBe Level.ERROR
                    classic.markerList.map { it.name } shouldContainExactly listOf("CLASSIC")

                    plain.list.single().formattedMessage shouldBe "literal {} stays"
                }
        }

        test(
            "a record's throwable with a cause chain and suppressed exceptions reaches the listener and the caller's logback whole"
        ) {
            val appender = capture("test.chain")
            val collector = RecordCollector()
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs {
                        listener = LogRecordListener { record ->
                            collector.onRecord(record)
                            Slf4jLogRecordListener.onRecord(record)
                        }
                    }
                }
                .use { pool ->
                    pool.run(ChainAndSuppressedLogTask())
                    val thrown = collector.of("test.chain").single().throwable.shouldNotBeNull()
                    thrown.toString() shouldBe "java.lang.IllegalStateException: outer"
                    thrown.frames.first().className shouldBe ChainAndSuppressedLogTask::class.java.name
                    thrown.cause.shouldNotBeNull().cause.shouldNotBeNull().className shouldBe
                        "java.lang.UnsupportedOperationException"
                    thrown.suppressed.single().className shouldBe WorkerOnlyError::class.java.name
                    thrown.suppressed.single().cause.shouldNotBeNull().message shouldBe "disk"

                    val proxy = appender.list.single().throwableProxy
                    proxy.className shouldBe "java.lang.IllegalStateException"
                    proxy.stackTraceElementProxyArray.first().stackTraceElement.className shouldBe
                        ChainAndSuppressedLogTask::class.java.name
                    proxy.cause.className shouldBe "java.lang.IllegalArgumentException"
                    proxy.cause.cause.className shouldBe "java.lang.UnsupportedOperationException"
                    proxy.cause.cause.message shouldBe "inner"
                    val suppressed = proxy.suppressed.single()
                    suppressed.message shouldBe "${WorkerOnlyError::class.java.name}: closing/7"
                    suppressed.cause.className shouldBe "java.io.IOException"
                    suppressed.cause.message shouldBe "disk"
                }
        }

        test("a record whose level the caller's logger disables is dropped") {
            val quiet = capture("test.relay.quiet", Level.WARN)
            ProcessPool {
                    maxWorkers = 1
                    forwardLogs()
                }
                .use { pool -> pool.run(LogOnceTask("test.relay.quiet", "info is below the caller's WARN")) }
            quiet.list.shouldBeEmpty()
        }

        test("the caller thread's own MDC is restored after a record is re-emitted") {
            val appender = capture("test.relay.direct")
            MDC.put("request", "r-1")
            try {
                Slf4jLogRecordListener.onRecord(
                    LogRecord(
                        epochMillis = 1L,
                        level = LogLevel.INFO,
                        loggerName = "test.relay.direct",
                        message = "direct",
                        threadName = "asynccpu-task-9",
                        mdc = mapOf("request" to "from-worker"),
                        keyValues = emptyList(),
                        markers = emptyList(),
                        throwable = null,
                        workerId = 4,
                        workerPid = 1234,
                        taskId = null,
                    )
                )
                MDC.getCopyOfContextMap() shouldBe mapOf("request" to "r-1")
            } finally {
                MDC.clear()
            }
            val event = appender.list.single()
            event.mdcPropertyMap shouldBe
                mapOf(
                    "request" to "from-worker",
                    Slf4jLogRecordListener.MDC_WORKER to "4",
                    Slf4jLogRecordListener.MDC_PID to "1234",
                    Slf4jLogRecordListener.MDC_THREAD to "asynccpu-task-9",
                )
        }
    })
