package io.asynccpu.internal.worker

/**
 * Watches the parent process from a daemon thread and calls [onParentGone] when it has died or this worker was
 * re-parented (the parent's pid is no longer our parent). This backs up the end-of-stream check on stdin, for the case
 * where something else keeps the pipe open.
 */
internal class ParentWatcher(private val parentPid: Long, private val onParentGone: () -> Unit) {
    fun start() {
        Thread(
                {
                    while (true) {
                        Thread.sleep(PERIOD_MILLIS)
                        val parentAlive = ProcessHandle.of(parentPid).map { it.isAlive }.orElse(false)
                        val stillOurs = ProcessHandle.current().parent().map { it.pid() == parentPid }.orElse(false)
                        if (!parentAlive || !stillOurs) {
                            onParentGone()
                            return@Thread
                        }
                    }
                },
                "asynccpu-parent-watcher",
            )
            .apply {
                isDaemon = true
                start()
            }
    }

    private companion object {
        const val PERIOD_MILLIS = 250L
    }
}
