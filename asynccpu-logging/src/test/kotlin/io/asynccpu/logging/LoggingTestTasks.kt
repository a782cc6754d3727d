package io.asynccpu.logging

import io.asynccpu.ProcessTask
import io.asynccpu.logging.internal.ChildLogSink
import kotlinx.serialization.Serializable
import org.slf4j.LoggerFactory
import org.slf4j.MDC
import org.slf4j.MarkerFactory
import org.slf4j.spi.NOPLoggingEventBuilder

// Tasks and configurers the logging tests send to real worker JVMs. They log through the plain
// SLF4J and java.util.logging APIs, as user code would.

/** What a task saw in its worker. */
@Serializable data class Seen(val pid: Long, val thread: String, val value: Long = 0)

private fun seen(value: Long = 0) = Seen(ProcessHandle.current().pid(), Thread.currentThread().name, value)

@Serializable
class LogOnceTask(val loggerName: String, val text: String) : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        LoggerFactory.getLogger(loggerName).info("{}", text)
        return seen()
    }
}

@Serializable
class RichRecordTask : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        val logger = LoggerFactory.getLogger("test.rich")
        MDC.put("user", "alice")
        try {
            logger
                .atWarn()
                .addMarker(MarkerFactory.getMarker("AUDIT"))
                .addKeyValue("answer", 42)
                .addKeyValue("nothing", null as Any?)
                .setCause(IllegalStateException("outer", IllegalArgumentException("inner")))
                .log("rich {} record", "formatted")
            logger.error(MarkerFactory.getMarker("CLASSIC"), "classic {} and {}", "one", "two", WorkerOnlyError("boom"))
        } finally {
            MDC.remove("user")
        }
        return seen()
    }
}

/**
 * Logs at ERROR on "test.chain" an exception with a two-level cause chain and a suppressed exception that has a cause
 * of its own, the suppressed one of a class only the stand-in can carry.
 */
@Serializable
class ChainAndSuppressedLogTask : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        val error =
            IllegalStateException("outer", IllegalArgumentException("middle", UnsupportedOperationException("inner")))
        error.addSuppressed(WorkerOnlyError("closing").apply { initCause(java.io.IOException("disk")) })
        LoggerFactory.getLogger("test.chain").error("chain and suppressed", error)
        return seen()
    }
}

/** An exception class the caller can load but cannot rebuild (no (String) constructor). */
class WorkerOnlyError(detail: String, code: Int) : RuntimeException("$detail/$code") {
    constructor(detail: String) : this(detail, 7)
}

/**
 * Makes [calls] calls at each level on [loggerName]; returns how many records the worker encoded meanwhile, and (in
 * `thread`) which levels the logger reported as enabled.
 */
@Serializable
class LevelProbeTask(val loggerName: String, val calls: Int = 1) : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        val logger = LoggerFactory.getLogger(loggerName)
        val before = ChildLogSink.sent.get()
        repeat(calls) { i ->
            logger.trace("trace {}", i)
            logger.debug("debug {}", i)
            logger.atDebug().addKeyValue("i", i).log("fluent debug")
            logger.info("info {}", i)
        }
        val enabled =
            buildList {
                    if (logger.isTraceEnabled) add("TRACE")
                    if (logger.isDebugEnabled) add("DEBUG")
                    if (logger.isInfoEnabled) add("INFO")
                    if (logger.atDebug() is NOPLoggingEventBuilder) add("NOP-DEBUG")
                }
                .joinToString(",")
        return Seen(ProcessHandle.current().pid(), enabled, ChildLogSink.sent.get() - before)
    }
}

@Serializable
class JulTask : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        val logger = java.util.logging.Logger.getLogger("jul.test")
        logger.fine("hidden fine")
        logger.log(java.util.logging.Level.INFO, "jul {0} and {1}", arrayOf<Any>("one", 2))
        logger.log(java.util.logging.Level.WARNING, "jul warning", IllegalStateException("jul failure"))
        return seen()
    }
}

@Serializable
class PrintTask(val text: String) : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        println("out: $text")
        System.out.flush()
        System.err.println("err: $text")
        System.err.flush()
        return seen()
    }
}

/** Logs [count] records, then leaves its worker the way [how] says: "exit", "oom", or returns normally. */
@Serializable
class LogThenDieTask(val how: String, val count: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        val logger = LoggerFactory.getLogger("test.last-words")
        repeat(count) { logger.info("last words {}", it) }
        when (how) {
            "exit" -> System.exit(3)
            "oom" -> {
                val hoard = ArrayList<LongArray>()
                while (true) hoard += LongArray(1 shl 20)
            }
        }
        return "survived"
    }
}

/** Logs, then blocks until interrupted (a cancel), and logs again on the way out. */
@Serializable
class LogThenBlockTask : ProcessTask<String> {
    override suspend fun run(): String {
        val logger = LoggerFactory.getLogger("test.cancel")
        logger.info("started")
        try {
            Thread.sleep(120_000)
        } finally {
            logger.warn("cancelled, cleaning up")
        }
        return "not cancelled"
    }
}

/** Logs [count] records numbered 0 until count on logger "burst", message "<stream> <i>". */
@Serializable
class BurstTask(val stream: Int, val count: Int) : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        val logger = LoggerFactory.getLogger("burst")
        for (i in 0 until count) logger.info("{} {}", stream, i)
        return seen(count.toLong())
    }
}

/** Records in a system property how often it ran, sets a level, and logs. */
@Serializable
class CountingConfigurer(val verboseLogger: String) : WorkerConfigurer {
    override fun configure(worker: WorkerLogSettings) {
        val runs = (System.getProperty("test.configurer.runs")?.toInt() ?: 0) + 1
        System.setProperty("test.configurer.runs", runs.toString())
        worker.setLevel(verboseLogger, LogLevel.DEBUG)
        LoggerFactory.getLogger("test.configurer").info("configured worker {}", worker.workerId)
    }
}

/** Returns how often the configurer ran in this worker (in `value`), and logs at DEBUG on [loggerName]. */
@Serializable
class ConfigurerProbeTask(val loggerName: String) : ProcessTask<Seen> {
    override suspend fun run(): Seen {
        LoggerFactory.getLogger(loggerName).debug("probe debug")
        return seen(System.getProperty("test.configurer.runs")?.toLong() ?: 0)
    }
}

@Serializable
object FailingConfigurer : WorkerConfigurer {
    override fun configure(worker: WorkerLogSettings): Unit = throw IllegalStateException("configurer exploded")
}

/** Not @Serializable on purpose. */
class PlainConfigurer : WorkerConfigurer {
    override fun configure(worker: WorkerLogSettings) {}
}
