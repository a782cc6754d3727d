package io.asynccpu.internal.worker

import io.asynccpu.internal.protocol.Protocol
import jdk.jfr.Category
import jdk.jfr.Description
import jdk.jfr.Event
import jdk.jfr.Label
import jdk.jfr.Name
import jdk.jfr.StackTrace

/**
 * The worker's JDK Flight Recorder event: one per request a worker ran, spanning its run, recorded in the worker's own
 * recording (start one with `-XX:StartFlightRecording` in the pool's `jvmArgs`). Costs one flag check per request while
 * no recording wants it.
 */
@Name("io.asynccpu.TaskRun")
@Label("Task Run")
@Category("asynccpu")
@Description("A worker process ran a request; its task id matches the caller's io.asynccpu.TaskFinished event")
@StackTrace(false)
internal class TaskRunEvent : Event() {
    @Label("Task Id") @JvmField var taskId: Long = 0
    @Label("Task") @JvmField var task: String? = null
    @Label("Worker Id") @JvmField var workerId: Int = 0
    @Label("Outcome") @Description("SUCCEEDED, FAILED or CANCELLED") @JvmField var outcome: String? = null

    companion object {
        private val probe = TaskRunEvent()

        /** A started event for request [id], or null while no recording wants it. */
        fun begin(id: Long): TaskRunEvent? {
            if (!probe.isEnabled) return null
            return TaskRunEvent().also {
                it.taskId = id
                it.begin()
            }
        }

        /** Ends [event] with the outcome that the answer frame of [answerType] tells. */
        fun end(event: TaskRunEvent?, description: String, answerType: Int) {
            if (event == null) return
            event.end()
            event.task = description
            event.workerId = io.asynccpu.WorkerState.workerId ?: 0
            event.outcome =
                when (answerType) {
                    Protocol.TYPE_FAILURE -> "FAILED"
                    Protocol.TYPE_CANCELLED -> "CANCELLED"
                    else -> "SUCCEEDED"
                }
            event.commit()
        }
    }
}
