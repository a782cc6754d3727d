package io.asynccpu

/**
 * The pool cannot tell how to start worker JVMs where the caller runs: the library was not loaded from a class path, a
 * module path or a Spring Boot executable jar that a child JVM can use (a jlink image, a module layer, an unknown
 * launcher). Thrown when the pool is created, before any task is submitted; no process was started.
 *
 * Fix it with the pool's `classpath` (the jars holding asynccpu-core, its dependencies and the task classes) and, when
 * workers must start through a launcher, `workerMainClass`.
 */
public class WorkerLaunchException internal constructor(message: String) : ProcessPoolException(message)
