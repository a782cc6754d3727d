@file:JvmName("WorkerMain")

package io.asynccpu.internal.worker

import java.io.ByteArrayInputStream
import java.io.FileDescriptor
import java.io.FileInputStream

/**
 * Entry point of a worker JVM. Not an API: the pool starts it as `java ... io.asynccpu.internal.worker.WorkerMain
 * <fifo> <parent pid> <worker id> <max frame size> <tasks per worker>`.
 *
 * @suppress
 */
public fun main(args: Array<String>) {
    require(args.size == 5) { "usage: WorkerMain <fifo> <parent pid> <worker id> <max frame size> <tasks per worker>" }
    StartupWarmUp.start()
    // Ctrl-C in a terminal signals the whole foreground process group. A worker leaves it to the caller,
    // whose shutdown stops workers in order; dying on its own would print nothing useful and race that.
    runCatching { sun.misc.Signal.handle(sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN) }
    // The protocol owns stdin; a task that reads System.in gets an empty stream instead of frames.
    val protocolIn = FileInputStream(FileDescriptor.`in`)
    System.setIn(ByteArrayInputStream(ByteArray(0)))
    val worker =
        Worker(
            fifoPath = args[0],
            workerId = args[2].toInt(),
            maxFrameSize = args[3].toInt(),
            tasksPerWorker = args[4].toInt(),
        )
    ParentWatcher(args[1].toLong()) { worker.exit(0, "parent process is gone") }.start()
    worker.serve(protocolIn)
}
