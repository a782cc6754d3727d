package io.asynccpu.internal.pool

import java.io.File
import java.util.concurrent.TimeUnit

/**
 * Each worker leads its own process group (it is started through `setsid`), so every process a task starts belongs to
 * that group, even after the worker dies and they are re-parented. When a worker is gone, however it ended (even
 * SIGKILLed from outside), the pool kills what is left of its group.
 *
 * Being in its own session also keeps a terminal's Ctrl-C away from workers: the caller's shutdown stops them in order
 * instead. Where `setsid` does not exist (macOS ships none), workers stay in the caller's group and only the
 * descendants the pool can see are killed.
 */
internal object ProcessGroups {
    private val setsid: String? = listOf("/usr/bin/setsid", "/bin/setsid").firstOrNull { File(it).canExecute() }
    private val kill: String? = listOf("/bin/kill", "/usr/bin/kill").firstOrNull { File(it).canExecute() }

    /** Whether workers get their own process group. Off with `-Dasynccpu.processGroups=false`. */
    val enabled: Boolean = setsid != null && kill != null && System.getProperty("asynccpu.processGroups") != "false"

    /** What goes before `java` on a worker's command line. */
    fun prefix(): List<String> = if (enabled) listOf(setsid!!) else emptyList()

    /**
     * SIGKILLs every process left in the group led by [leaderPid] (the worker's pid). Safe to call once the worker is
     * dead: a pid stays reserved while a process group of that id has members.
     */
    fun killGroup(leaderPid: Long) {
        if (!enabled || leaderPid <= 0) return
        runCatching {
            val process =
                ProcessBuilder(kill!!, "-KILL", "--", "-$leaderPid")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
            if (!process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS)) process.destroyForcibly()
        }
    }

    private const val KILL_WAIT_SECONDS = 5L
}
