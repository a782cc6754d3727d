package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.ProcessPoolConfig
import io.asynccpu.ProcessTask
import kotlin.time.Duration
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import kotlinx.serialization.Serializable

/** The probe `ProcessPool.test()` runs: proves a worker started, ran its initializer and answered. */
@Serializable
internal class ProbeTask : ProcessTask<Long> {
    override suspend fun run(): Long = ProcessHandle.current().pid()
}

/** Implements `ProcessPool.test()`: a throw-away one-worker pool with the same configuration. */
internal object PoolProbe {
    suspend fun test(config: ProcessPoolConfig) {
        val probeConfig =
            ProcessPoolBuilder()
                .copyFrom(config)
                .apply {
                    name = "${config.name}-test"
                    maxWorkers = 1
                    minWorkers = 0
                    startEagerly = false
                    idleTimeout = Duration.INFINITE
                    maxTasksPerWorker = 0
                    maxStartAttempts = 1
                }
                .build()
        val pool = RealProcessPool(probeConfig)
        try {
            pool.run(ProbeTask())
        } finally {
            withContext(NonCancellable + Dispatchers.IO) { pool.close() }
        }
    }
}
