package io.asynccpu

/**
 * The pool cannot start healthy workers: new workers kept failing before they could run a task
 * (a bad JVM option, a missing `java`, an initializer that throws). Queued and later submissions fail
 * with this exception instead of respawning workers forever; the [cause] is the last start failure.
 *
 * Fix the configuration and create a new pool.
 */
public class BrokenPoolException internal constructor(message: String, cause: Throwable?) :
    ProcessPoolException(message, cause)
