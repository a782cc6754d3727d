package io.asynccpu.hazelcast

import ch.qos.logback.classic.Logger
import ch.qos.logback.classic.spi.ILoggingEvent
import ch.qos.logback.core.read.ListAppender
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.withTimeout
import org.slf4j.LoggerFactory

class LogForwardingTest :
    FunSpec({
        val cluster = TestCluster(1, workers = 1)
        afterSpec { cluster.close() }

        test(
            "a worker's SLF4J record on a member reaches the caller's SLF4J with the member address and the worker pid"
        ) {
            val appender = ListAppender<ILoggingEvent>().apply { start() }
            val logger = LoggerFactory.getLogger("cluster.test") as Logger
            logger.addAppender(appender)
            try {
                cluster
                    .pool { forwardLogs = true }
                    .use { pool ->
                        val pid = withTimeout(60_000) { pool.run(LoggingTask("hello from a member")) }
                        eventually {
                            synchronized(appender.list) {
                                appender.list.any { it.formattedMessage == "hello from a member" }
                            }
                        }
                        val event =
                            synchronized(appender.list) {
                                appender.list.first { it.formattedMessage == "hello from a member" }
                            }
                        event.mdcPropertyMap["asynccpu.member"] shouldBe "127.0.0.1:${cluster.ports[0]}"
                        event.mdcPropertyMap["asynccpu.pid"] shouldBe pid.toString()
                    }
            } finally {
                logger.detachAppender(appender)
            }
        }
    })
