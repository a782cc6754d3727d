package io.asynccpu.internal.pool

import java.util.concurrent.ScheduledFuture
import java.util.concurrent.ScheduledThreadPoolExecutor
import java.util.concurrent.TimeUnit

/** One daemon timer thread shared by all pools, for cancel grace periods and exit deadlines. */
internal object Timers {
    private val executor =
        ScheduledThreadPoolExecutor(1) { r -> Thread(r, "asynccpu-timer").apply { isDaemon = true } }
            .apply { removeOnCancelPolicy = true }

    fun schedule(delayMillis: Long, action: () -> Unit): ScheduledFuture<*> =
        executor.schedule(
            {
                try {
                    action()
                } catch (e: Throwable) {
                    System.err.println("asynccpu: timer action failed: $e")
                }
            },
            delayMillis,
            TimeUnit.MILLISECONDS,
        )
}
