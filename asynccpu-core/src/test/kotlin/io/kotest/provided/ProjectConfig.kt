package io.kotest.provided

import io.kotest.core.config.AbstractProjectConfig
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes

/** Project-wide kotest settings: a hung test fails in minutes instead of stalling the suite. */
class ProjectConfig : AbstractProjectConfig() {
    override val timeout: Duration = 3.minutes
}
