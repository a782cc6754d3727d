package io.asynccpu.logging

/**
 * The severity of a [LogRecord], and the threshold of a logger in [LogForwardingConfig].
 *
 * The five record levels are SLF4J's; `java.util.logging` levels map onto them the way `jul-to-slf4j` maps them
 * (`FINEST` → [TRACE], `FINER`/`FINE` → [DEBUG], `CONFIG`/`INFO` → [INFO], `WARNING` → [WARN], `SEVERE` → [ERROR]).
 * [OFF] is only a threshold: no record has it.
 */
public enum class LogLevel {
    /** Finest detail. */
    TRACE,

    /** Diagnostic detail. */
    DEBUG,

    /** Normal operation. */
    INFO,

    /** Something unexpected that the program survived. */
    WARN,

    /** A failure. */
    ERROR,

    /** As a threshold: forward nothing from the logger. Never the level of a record. */
    OFF,
}
