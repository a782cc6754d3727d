package io.asynccpu.internal.codec

/**
 * Which classes a function call may name: only the application's own.
 *
 * A function call travels by name (class, method, JVM descriptor), so without this rule a RUN frame could call any
 * static method of a Kotlin-compiled class on the worker's classpath: the standard library's
 * (`kotlin.system.exitProcess`), a platform class's, or the library's own worker machinery. Refused: the platform
 * packages ([PLATFORM_PREFIXES]), the library's published packages ([LIBRARY_PACKAGES], exactly: `io.asynccpu.samples`
 * or a test package of its own is user code) and every `internal` package under `io.asynccpu`. A new library module
 * adds its public package to [LIBRARY_PACKAGES].
 *
 * The worker checks the name before it loads the class ([TaskCodec.decode]); that check is the security boundary. The
 * caller checks the same rule at submit ([FunctionReferences]) so a mistake fails fast there.
 */
internal object FunctionPolicy {
    private val PLATFORM_PREFIXES = arrayOf("kotlin.", "kotlinx.", "java.", "javax.", "jdk.", "sun.", "com.sun.")

    private val LIBRARY_PACKAGES =
        arrayOf(
            "io.asynccpu",
            "io.asynccpu.future",
            "io.asynccpu.spi",
            "io.asynccpu.logging",
            "io.asynccpu.micrometer",
            "io.asynccpu.opentelemetry",
            "io.asynccpu.hazelcast",
            "io.asynccpu.opentelemetry",
        )

    private const val WHAT_TO_DO =
        "Workers only call the application's own functions: declare a top-level function (or an object " +
            "member) in your own package that makes this call, and submit that."

    /** Why a function of the class [className] (a binary name) may not be called in a worker; null if it may. */
    fun refusal(className: String): String? {
        if (
            className.isEmpty() ||
                className.startsWith('.') ||
                className.endsWith('.') ||
                className.any { it == '[' || it == '/' || it == ';' }
        ) {
            return "'$className' is not a class name; refused."
        }
        for (prefix in PLATFORM_PREFIXES) {
            if (className.startsWith(prefix)) {
                return "$className belongs to the Java or Kotlin platform ('$prefix*'); refused. $WHAT_TO_DO"
            }
        }
        if (!className.startsWith("io.asynccpu.")) return null
        // Allocation-free (this runs for every function request): the package ends at the last dot.
        val dot = className.lastIndexOf('.')
        val internal = className.indexOf(".internal.")
        if ((internal in 0 until dot) || LIBRARY_PACKAGES.any { it.length == dot && className.startsWith(it) }) {
            return "$className is part of the asynccpu library itself; refused. $WHAT_TO_DO"
        }
        return null
    }
}
