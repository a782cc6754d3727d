package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel

/**
 * Immutable thresholds: one for the root, one per logger name. A logger's threshold is that of its longest configured
 * ancestor-or-self by dotted prefix (`a.b` covers `a.b` and `a.b.c`, not `a.bc`), else the root's.
 */
internal class LevelTable(val root: LogLevel, val loggers: Map<String, LogLevel>) {
    fun effective(name: String): LogLevel {
        if (loggers.isEmpty()) return root
        var candidate = name
        while (true) {
            loggers[candidate]?.let {
                return it
            }
            val dot = candidate.lastIndexOf('.')
            if (dot <= 0) return root
            candidate = candidate.substring(0, dot)
        }
    }

    fun isEnabled(name: String, level: LogLevel): Boolean = level >= effective(name) && level != LogLevel.OFF

    /** The lowest threshold anywhere in the table: nothing below it can pass. */
    fun mostVerbose(): LogLevel = (loggers.values + root).min()

    fun with(level: LogLevel): LevelTable = LevelTable(level, loggers)

    fun with(name: String, level: LogLevel?): LevelTable =
        LevelTable(root, if (level == null) loggers - name else loggers + (name to level))

    fun toWire(): WireLevels = WireLevels(root.ordinal, loggers.mapValues { it.value.ordinal })

    override fun toString(): String = "LevelTable(root=$root, loggers=$loggers)"

    companion object {
        fun fromWire(wire: WireLevels): LevelTable =
            LevelTable(levelOf(wire.root), wire.loggers.mapValues { levelOf(it.value) })

        fun levelOf(ordinal: Int): LogLevel = LogLevel.entries.getOrElse(ordinal) { LogLevel.ERROR }
    }
}
