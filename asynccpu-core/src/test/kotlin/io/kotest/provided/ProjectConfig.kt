package io.kotest.provided

import io.kotest.core.config.AbstractProjectConfig
import kotlin.time.Duration
import kotlin.time.Duration.Companion.minutes

/**
 * Project-wide kotest settings. A hung test fails in minutes instead of stalling the suite (timeout). The invocation
 * timeout is raised from kotest's default of 10 minutes, which silently capped every longer `config(timeout = ...)`:
 * the stress specs ran into it on a loaded 2-core machine. Those specs fail on a stall (no progress for minutes), not
 * on their total time.
 */
class ProjectConfig : AbstractProjectConfig() {
    override val timeout: Duration = 3.minutes
    override val invocationTimeout: Duration = 60.minutes
}
