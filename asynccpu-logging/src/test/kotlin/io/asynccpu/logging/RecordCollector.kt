package io.asynccpu.logging

import java.util.concurrent.ConcurrentLinkedQueue
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.withTimeout

/** A thread-safe [LogRecordListener] that keeps every record and lets a test wait for some. */
class RecordCollector : LogRecordListener {
    private val all = ConcurrentLinkedQueue<LogRecord>()
    private val count = MutableStateFlow(0)

    private val added = java.util.concurrent.atomic.AtomicInteger()

    override fun onRecord(record: LogRecord) {
        all += record
        count.value = added.incrementAndGet()
    }

    val records: List<LogRecord>
        get() = all.toList()

    fun of(loggerName: String): List<LogRecord> = all.filter { it.loggerName == loggerName }

    /** Waits until [n] records match [predicate]; returns them. */
    suspend fun await(n: Int, timeout: Duration = 60.seconds, predicate: (LogRecord) -> Boolean): List<LogRecord> =
        withTimeout(timeout) {
            count.first { all.count(predicate) >= n }
            all.filter(predicate)
        }

    suspend fun awaitLogger(loggerName: String, n: Int = 1): List<LogRecord> = await(n) { it.loggerName == loggerName }
}
