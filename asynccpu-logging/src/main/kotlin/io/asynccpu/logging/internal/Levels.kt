package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel
import java.util.logging.Level as JulLevel
import org.slf4j.event.Level

// Mappings between LogLevel, SLF4J's Level and java.util.logging's Level.

internal fun LogLevel.toSlf4j(): Level? =
    when (this) {
        LogLevel.TRACE -> Level.TRACE
        LogLevel.DEBUG -> Level.DEBUG
        LogLevel.INFO -> Level.INFO
        LogLevel.WARN -> Level.WARN
        LogLevel.ERROR -> Level.ERROR
        LogLevel.OFF -> null
    }

internal fun Level.toLogLevel(): LogLevel =
    when (this) {
        Level.TRACE -> LogLevel.TRACE
        Level.DEBUG -> LogLevel.DEBUG
        Level.INFO -> LogLevel.INFO
        Level.WARN -> LogLevel.WARN
        Level.ERROR -> LogLevel.ERROR
    }

/**
 * As `jul-to-slf4j` maps them: FINEST → TRACE, FINER/FINE → DEBUG, CONFIG/INFO → INFO, WARNING → WARN, SEVERE → ERROR.
 */
internal fun JulLevel.toLogLevel(): LogLevel {
    val value = intValue()
    return when {
        value <= JulLevel.FINEST.intValue() -> LogLevel.TRACE
        value <= JulLevel.FINE.intValue() -> LogLevel.DEBUG
        value <= JulLevel.INFO.intValue() -> LogLevel.INFO
        value <= JulLevel.WARNING.intValue() -> LogLevel.WARN
        else -> LogLevel.ERROR
    }
}

/** The most permissive JUL level whose records all map to [this] or above. */
internal fun LogLevel.toJulThreshold(): JulLevel =
    when (this) {
        LogLevel.TRACE -> JulLevel.ALL
        LogLevel.DEBUG -> JulLevel.FINER
        LogLevel.INFO -> JulLevel.CONFIG
        LogLevel.WARN -> JulLevel.WARNING
        LogLevel.ERROR -> JulLevel.SEVERE
        LogLevel.OFF -> JulLevel.OFF
    }
