package io.asynccpu.logging

/**
 * One stack frame of a [LogThrowable], as it was in the worker.
 *
 * @property className the fully qualified name of the class.
 * @property methodName the method name.
 * @property fileName the source file name, or null if unknown.
 * @property lineNumber the line number; negative if unknown (`-2` for a native method, as in the JDK).
 */
public class LogStackFrame
internal constructor(
    public val className: String,
    public val methodName: String,
    public val fileName: String?,
    public val lineNumber: Int,
) {
    /** The frame in the JDK's `StackTraceElement` format, e.g. `com.example.Foo.bar(Foo.kt:12)`. */
    override fun toString(): String {
        val location =
            when {
                lineNumber == -2 -> "Native Method"
                fileName == null -> "Unknown Source"
                lineNumber >= 0 -> "$fileName:$lineNumber"
                else -> fileName
            }
        return "$className.$methodName($location)"
    }
}
