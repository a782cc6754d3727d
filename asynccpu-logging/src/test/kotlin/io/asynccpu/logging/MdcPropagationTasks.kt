package io.asynccpu.logging

import io.asynccpu.ProcessTask
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.delay
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory

/** Both tasks of the MDC test wait here until the other one runs too (one worker, two slots). */
object BothRunning {
    val latch = CountDownLatch(2)
}

/** Logs [times] records, suspending between them, once the other task of the pair is running too. */
@Serializable
class LogWithMdcTask(val times: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        BothRunning.latch.countDown()
        check(BothRunning.latch.await(60, TimeUnit.SECONDS)) { "the other task never started" }
        val log = LoggerFactory.getLogger("test.mdc")
        repeat(times) {
            log.info("step {}", it)
            delay(5)
        }
        return org.slf4j.MDC.get("requestId") ?: "none"
    }
}

/** Reports the worker's requestId MDC entry (none expected). */
@Serializable
class LogWithMdcTaskAlone : ProcessTask<String> {
    override suspend fun run(): String = org.slf4j.MDC.get("requestId") ?: "none"
}
