package io.asynccpu.hazelcast

import io.asynccpu.ProcessTask
import java.io.File
import kotlinx.serialization.Serializable

/** Where a task ran: "index:memberPid:workerPid" (a worker's parent is its member JVM). */
@Serializable
class WhereTask(val index: Int) : ProcessTask<String> {
    override suspend fun run(): String {
        val me = ProcessHandle.current()
        return "$index:${me.parent().map { it.pid() }.orElse(-1)}:${me.pid()}"
    }
}

/** Sleeps [millis], then writes [marker] (if not blank) and returns [index]. */
@Serializable
class SleepTask(val index: Int, val millis: Long, val marker: String = "") : ProcessTask<Int> {
    override suspend fun run(): Int {
        kotlinx.coroutines.delay(millis)
        if (marker.isNotBlank()) File(marker).writeText("ran")
        return index
    }
}

@Serializable
class DivideTask(val by: Int) : ProcessTask<Int> {
    override suspend fun run(): Int = 10 / by
}

@Serializable
class HaltTask : ProcessTask<Int> {
    override suspend fun run(): Int {
        Runtime.getRuntime().halt(7)
        return 0
    }
}

/** A task that cannot be encoded: its field's class is not serializable. */
class UnencodableTask(val x: Any) : ProcessTask<Int> {
    override suspend fun run(): Int = 0
}

/** Writes "memberPid" to `dir/index.started`, sleeps [millis], writes `dir/index.done`, returns [index]. */
@Serializable
class MarkedTask(val index: Int, val dir: String, val millis: Long) : ProcessTask<Int> {
    override suspend fun run(): Int {
        val member = ProcessHandle.current().parent().map { it.pid() }.orElse(-1)
        File(dir, "$index.started").writeText(member.toString())
        Thread.sleep(millis) // blocking on purpose: cancellation must interrupt it
        File(dir, "$index.done").writeText("done")
        return index
    }
}

/** Logs [text] through SLF4J in its worker. */
@Serializable
class LoggingTask(val text: String) : ProcessTask<Long> {
    override suspend fun run(): Long {
        org.slf4j.LoggerFactory.getLogger("cluster.test").info(text)
        return ProcessHandle.current().pid()
    }
}
