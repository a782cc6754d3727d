package io.asynccpu

/**
 * One progress report of a running task: a number whose meaning the task chooses (a fraction, a percentage, items done)
 * and a message. Tasks send it with [reportProgress]; callers receive it from [TrackedTask.progress].
 */
public class Progress(
    /** How far the task is, on the task's own scale. */
    public val value: Double,
    /** What the task is doing; may be empty. */
    public val message: String,
) {
    override fun toString(): String = "Progress($value, $message)"
}
