package io.asynccpu.micrometer

import io.asynccpu.PoolStats
import io.asynccpu.ProcessPool
import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.FunctionTimer
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.binder.MeterBinder
import java.util.concurrent.TimeUnit

/**
 * Micrometer meters for a [ProcessPool], read from [ProcessPool.stats] whenever the registry publishes (nothing is
 * added to the pool's hot path):
 *
 * |meter                                                             |type                                                                     |what                                                                                                                     |
 * |------------------------------------------------------------------|-------------------------------------------------------------------------|-------------------------------------------------------------------------------------------------------------------------|
 * |`executor.pool.size`                                              |gauge                                                                    |worker processes alive                                                                                                   |
 * |`executor.pool.core` / `executor.pool.max`                        |gauge                                                                    |`minWorkers` / `maxWorkers`                                                                                              |
 * |`executor.active`                                                 |gauge                                                                    |tasks running in workers                                                                                                 |
 * |`executor.queued`                                                 |gauge                                                                    |tasks waiting for a worker                                                                                               |
 * |`executor.completed`                                              |function counter                                                         |tasks that ended, however they ended (as `ThreadPoolExecutor` counts)                                                    |
 * |`executor`                                                        |function timer                                                           |task run time (measured in the worker)                                                                                   |
 * |`executor.idle`                                                   |function timer                                                           |task wait from submission to a worker (one per start)                                                                    |
 * |`asynccpu.workers`                                                |gauge, tag `state` = `starting`, `busy`, `idle`                          |workers by state                                                                                                         |
 * |`asynccpu.tasks.submitted`                                        |function counter                                                         |tasks accepted                                                                                                           |
 * |`asynccpu.tasks.succeeded`                                        |function counter                                                         |tasks that returned a result                                                                                             |
 * |`asynccpu.tasks.failed`                                           |function counter, tag `kind` = `remote`, `encoding`, `crash`, `cancelled`|tasks that did not: the task threw; encoding, decoding or loading failed; the worker crashed or the pool broke; cancelled|
 * |`asynccpu.workers.started` / `.crashed` / `.retired` / `.recycled`|function counter                                                         |worker starts, crashes, graceful retirements, of which recycled after `maxTasksPerWorker`                                |
 *
 * Every meter is tagged `name` = the pool's name (the tag Micrometer's executor metrics use), plus [extraTags]. As with
 * Micrometer's own binders, the registry holds the pool weakly: once the pool is garbage collected its meters read NaN.
 * After [ProcessPool.close] they keep the final counts (`stats()` never throws, also on a closed or broken pool).
 * Binding never starts a worker.
 *
 * ```
 * val pool = ProcessPool { name = "thumbnails" }
 * ProcessPoolMetrics(pool).bindTo(registry)
 * ```
 */
public class ProcessPoolMetrics(
    private val pool: ProcessPool,
    /** Tags added to every meter, beside `name`. */
    extraTags: Iterable<Tag> = emptyList(),
) : MeterBinder {
    private val tags: Tags = Tags.of("name", pool.config.name).and(extraTags)
    private val minWorkers = pool.config.minWorkers
    private val maxWorkers = pool.config.maxWorkers

    override fun bindTo(registry: MeterRegistry) {
        gauge(registry, "executor.pool.size", "Worker processes alive", Tags.empty()) { it.workers }
        Gauge.builder("executor.pool.core", pool) { minWorkers.toDouble() }
            .description("The fewest workers the pool keeps (minWorkers)")
            .tags(tags)
            .register(registry)
        Gauge.builder("executor.pool.max", pool) { maxWorkers.toDouble() }
            .description("The most workers the pool runs at once (maxWorkers)")
            .tags(tags)
            .register(registry)
        gauge(registry, "executor.active", "Tasks running in workers", Tags.empty()) { it.runningTasks }
        gauge(registry, "executor.queued", "Tasks waiting for a worker", Tags.empty()) { it.pendingTasks }
        gauge(registry, "asynccpu.workers", "Workers starting", Tags.of("state", "starting")) { it.startingWorkers }
        gauge(registry, "asynccpu.workers", "Ready workers running a task", Tags.of("state", "busy")) { it.busyWorkers }
        gauge(registry, "asynccpu.workers", "Ready workers running nothing", Tags.of("state", "idle")) {
            it.idleWorkers
        }

        counter(registry, "executor.completed", "Tasks that ended, however they ended", Tags.empty()) {
            it.tasksFinished
        }
        counter(registry, "asynccpu.tasks.submitted", "Tasks accepted by the pool", Tags.empty()) { it.tasksSubmitted }
        counter(registry, "asynccpu.tasks.succeeded", "Tasks that returned a result", Tags.empty()) {
            it.tasksSucceeded
        }
        counter(registry, "asynccpu.tasks.failed", "Tasks that threw", Tags.of("kind", "remote")) { it.tasksFailed }
        counter(
            registry,
            "asynccpu.tasks.failed",
            "Tasks whose task, arguments or result could not be encoded",
            Tags.of("kind", "encoding"),
        ) {
            it.tasksFailedEncoding
        }
        counter(
            registry,
            "asynccpu.tasks.failed",
            "Tasks failed by a worker crash or a broken pool",
            Tags.of("kind", "crash"),
        ) {
            it.tasksCrashed
        }
        counter(registry, "asynccpu.tasks.failed", "Tasks cancelled", Tags.of("kind", "cancelled")) {
            it.tasksCancelled
        }
        counter(registry, "asynccpu.workers.started", "Workers that became ready", Tags.empty()) {
            it.workersStartedTotal
        }
        counter(registry, "asynccpu.workers.crashed", "Workers that died unasked or were killed", Tags.empty()) {
            it.workersCrashedTotal
        }
        counter(registry, "asynccpu.workers.retired", "Workers retired gracefully", Tags.empty()) {
            it.workersRetiredTotal
        }
        counter(registry, "asynccpu.workers.recycled", "Workers retired after maxTasksPerWorker tasks", Tags.empty()) {
            it.workersRecycledTotal
        }

        FunctionTimer.builder(
                "executor",
                pool,
                { it.stats().tasksTimed },
                { it.stats().totalRunNanos.toDouble() },
                TimeUnit.NANOSECONDS,
            )
            .description("Task run time in the workers")
            .tags(tags)
            .register(registry)
        FunctionTimer.builder(
                "executor.idle",
                pool,
                { it.stats().tasksStarted },
                { it.stats().totalQueueNanos.toDouble() },
                TimeUnit.NANOSECONDS,
            )
            .description("Task wait from submission until a worker got it")
            .tags(tags)
            .register(registry)
    }

    private fun gauge(registry: MeterRegistry, name: String, help: String, more: Tags, read: (PoolStats) -> Int) {
        Gauge.builder(name, pool) { read(it.stats()).toDouble() }
            .description(help)
            .tags(tags.and(more))
            .register(registry)
    }

    private fun counter(registry: MeterRegistry, name: String, help: String, more: Tags, read: (PoolStats) -> Long) {
        FunctionCounter.builder(name, pool) { read(it.stats()).toDouble() }
            .description(help)
            .tags(tags.and(more))
            .register(registry)
    }
}
