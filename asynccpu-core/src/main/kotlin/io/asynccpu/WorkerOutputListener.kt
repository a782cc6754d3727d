package io.asynccpu

/**
 * Receives each line a worker process writes to its standard output or standard error: stray `println` calls in tasks,
 * raw writes to `FileDescriptor.out`, native code, and the JVM's own warnings. These never touch the protocol channel
 * (which is a separate pipe), so they cannot corrupt results; they are delivered here line by line, tagged with the
 * worker.
 *
 * Called on a thread owned by the pool (one per worker stream), in the order each stream wrote the lines. It must not
 * block for long: a slow listener eventually blocks the worker's writes. The default listener prints each line to the
 * caller's `System.err` prefixed with the worker.
 */
public fun interface WorkerOutputListener {
    /** Called once per complete line (without its line terminator) that [worker] wrote to [stream]. */
    public fun onLine(worker: WorkerInfo, stream: WorkerStream, line: String)
}

/** Which standard stream of a worker a line came from. */
public enum class WorkerStream {
    /** The worker's standard output (`System.out`, `FileDescriptor.out`, native writes to fd 1). */
    STDOUT,

    /** The worker's standard error (`System.err`, JVM warnings and crash messages). */
    STDERR,
}
