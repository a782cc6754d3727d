package io.asynccpu.internal.pool

import io.asynccpu.WorkerCrashedException
import jdk.jfr.Category
import jdk.jfr.Description
import jdk.jfr.Event
import jdk.jfr.Label
import jdk.jfr.Name
import jdk.jfr.StackTrace
import jdk.jfr.Timespan

/**
 * The caller-side JDK Flight Recorder events (names `io.asynccpu.*`, category "asynccpu"). Like the JDK's own events
 * they cost one flag check while no recording wants them: nothing is allocated. The worker's own event
 * (`io.asynccpu.TaskRun`) is in the worker package.
 */
internal object JfrEvents {
    private val submittedProbe = TaskSubmittedEvent()
    private val finishedProbe = TaskFinishedEvent()
    private val startedProbe = WorkerStartedEvent()
    private val crashedProbe = WorkerCrashedEvent()

    fun taskSubmitted(pool: String, call: Request) {
        if (!submittedProbe.isEnabled) return
        val event = TaskSubmittedEvent()
        event.pool = pool
        event.taskId = call.id
        event.task = call.encoded.description
        event.commit()
    }

    fun taskFinished(pool: String, call: Request, cause: Throwable?, ranNanos: Long, now: Long) {
        if (!finishedProbe.isEnabled) return
        val event = TaskFinishedEvent()
        event.pool = pool
        event.taskId = call.id
        event.task = call.encoded.description
        event.outcome = PoolCounters.outcomeOf(cause).name
        event.queueTime =
            when {
                ranNanos >= 0 -> (now - call.submittedAt - ranNanos).coerceAtLeast(0)
                else -> now - call.submittedAt
            }
        event.runTime = ranNanos.coerceAtLeast(0)
        call.lastSlot?.let {
            event.workerId = it.id
            event.workerPid = it.info.pid
        }
        event.commit()
    }

    fun workerStarted(pool: String, slot: WorkerSlot) {
        if (!startedProbe.isEnabled) return
        val event = WorkerStartedEvent()
        event.pool = pool
        event.workerId = slot.id
        event.workerPid = slot.info.pid
        event.commit()
    }

    fun workerCrashed(pool: String, slot: WorkerSlot, error: Throwable) {
        if (!crashedProbe.isEnabled) return
        val event = WorkerCrashedEvent()
        event.pool = pool
        event.workerId = slot.id
        event.workerPid = slot.info.pid
        event.exitCode = (error as? WorkerCrashedException)?.exitCode ?: -1
        event.message = error.message
        event.commit()
    }
}

@Name("io.asynccpu.TaskSubmitted")
@Label("Task Submitted")
@Category("asynccpu")
@Description("A task was submitted to a process pool and queued")
@StackTrace(false)
internal class TaskSubmittedEvent : Event() {
    @Label("Pool") @JvmField var pool: String? = null
    @Label("Task Id") @JvmField var taskId: Long = 0
    @Label("Task") @JvmField var task: String? = null
}

@Name("io.asynccpu.TaskFinished")
@Label("Task Finished")
@Category("asynccpu")
@Description("A task of a process pool ended: its outcome, its wait in the queue and its run time")
@StackTrace(false)
internal class TaskFinishedEvent : Event() {
    @Label("Pool") @JvmField var pool: String? = null
    @Label("Task Id") @JvmField var taskId: Long = 0
    @Label("Task") @JvmField var task: String? = null
    @Label("Outcome")
    @Description("SUCCEEDED, FAILED, ENCODING, CRASHED or CANCELLED")
    @JvmField
    var outcome: String? = null
    @Label("Queue Time") @Timespan(Timespan.NANOSECONDS) @JvmField var queueTime: Long = 0
    @Label("Run Time") @Timespan(Timespan.NANOSECONDS) @JvmField var runTime: Long = 0
    @Label("Worker Id") @Description("0 if it never reached a worker") @JvmField var workerId: Int = 0
    @Label("Worker Pid") @JvmField var workerPid: Long = 0
}

@Name("io.asynccpu.WorkerStarted")
@Label("Worker Started")
@Category("asynccpu")
@Description("A worker process of a pool became ready for tasks")
@StackTrace(false)
internal class WorkerStartedEvent : Event() {
    @Label("Pool") @JvmField var pool: String? = null
    @Label("Worker Id") @JvmField var workerId: Int = 0
    @Label("Worker Pid") @JvmField var workerPid: Long = 0
}

@Name("io.asynccpu.WorkerCrashed")
@Label("Worker Crashed")
@Category("asynccpu")
@Description("A worker process of a pool died without being asked to, or was killed by the pool")
@StackTrace(false)
internal class WorkerCrashedEvent : Event() {
    @Label("Pool") @JvmField var pool: String? = null
    @Label("Worker Id") @JvmField var workerId: Int = 0
    @Label("Worker Pid") @JvmField var workerPid: Long = 0
    @Label("Exit Code") @Description("-1 if unknown") @JvmField var exitCode: Int = -1
    @Label("Message") @JvmField var message: String? = null
}
