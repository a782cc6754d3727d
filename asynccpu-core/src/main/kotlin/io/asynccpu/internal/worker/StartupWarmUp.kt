package io.asynccpu.internal.worker

/**
 * One-time costs of a worker's first request, paid on a background thread while the main thread builds the worker, says
 * HELLO and reads the first frame (W5: new pool to first result).
 * - Kotlin's `@Metadata` annotation, which the worker checks on the class of every function it is asked to call: the
 *   first annotation read of a JVM parses it into a proxy class, spun at run time (no archive holds it).
 * - Core reflection (`Method.invoke`), which calls those functions: from JDK 18 on it is built on method handles, whose
 *   first use spins and links classes.
 *
 * The main thread needs the same things a few milliseconds later: it either finds them done, or waits for the class
 * initialisation in progress, never doing the work twice. Nothing here can fail the worker.
 */
internal object StartupWarmUp {
    fun start() {
        Thread(::run, "asynccpu-worker-warmup").apply { isDaemon = true }.start()
    }

    private fun run() {
        runCatching { Worker::class.java.isAnnotationPresent(Metadata::class.java) }
        runCatching { StartupWarmUp::class.java.getDeclaredMethod("echo", Any::class.java).invoke(null, 1) }
    }

    @JvmStatic private fun echo(value: Any?): Any? = value
}
