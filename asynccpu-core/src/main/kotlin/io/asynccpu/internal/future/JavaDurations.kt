package io.asynccpu.internal.future

import kotlin.time.Duration
import kotlin.time.toJavaDuration

/**
 * `kotlin.time.Duration` to `java.time.Duration` for the Java-facing getters; infinite becomes the largest
 * `java.time.Duration`.
 */
internal object JavaDurations {
    private val FOREVER: java.time.Duration = java.time.Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)

    fun of(duration: Duration): java.time.Duration = if (duration.isInfinite()) FOREVER else duration.toJavaDuration()
}
