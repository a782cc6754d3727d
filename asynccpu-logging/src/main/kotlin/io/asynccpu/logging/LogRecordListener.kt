package io.asynccpu.logging

/**
 * Receives the log records of a pool's workers in the caller's process: the role of Python's `QueueListener`. The
 * default is [Slf4jLogRecordListener], which re-emits each record into the caller's own SLF4J; install another with
 * [LogForwardingBuilder.listener].
 *
 * **Threads and order.** Records from SLF4J and `java.util.logging` are delivered on the thread that reads the sending
 * worker's channel, in the order the worker made them (records of one worker thread are never reordered), and *before*
 * any frame that worker sent after them: when a task's `Deferred` completes, every record the task logged before
 * returning has already been delivered. Lines from a worker's stdout and stderr are delivered on that stream's reader
 * thread. Records of different workers and streams arrive concurrently, so an implementation must be thread-safe.
 *
 * **Speed.** A listener that blocks delays the results of the worker whose records it handles (and, if it blocks long
 * enough, that worker's progress): hand slow work to another thread (for example logback's `AsyncAppender`).
 *
 * **Failures.** An exception thrown by [onRecord] is reported on the caller's `System.err` (once per listener) and the
 * record is dropped; the pool and the workers are not affected.
 */
public fun interface LogRecordListener {
    /** Handles one [record] from a worker. */
    public fun onRecord(record: LogRecord)
}
