package io.asynccpu.internal.worker

import kotlin.coroutines.CoroutineContext
import kotlinx.coroutines.ThreadContextElement

/**
 * Tracks which thread runs a task's coroutine (so that CANCEL can interrupt it) and exposes the task's request id to
 * code on that thread ([RealWorkerContext.currentTaskId]).
 */
internal class TaskThreadElement(private val entry: TaskEntry) : ThreadContextElement<Long?> {
    companion object Key : CoroutineContext.Key<TaskThreadElement>

    override val key: CoroutineContext.Key<TaskThreadElement>
        get() = Key

    override fun updateThreadContext(context: CoroutineContext): Long? {
        entry.enter(Thread.currentThread())
        val previous = RealWorkerContext.currentTask.get()
        RealWorkerContext.currentTask.set(entry.id)
        return previous
    }

    override fun restoreThreadContext(context: CoroutineContext, oldState: Long?) {
        entry.leave()
        RealWorkerContext.currentTask.set(oldState)
    }
}
