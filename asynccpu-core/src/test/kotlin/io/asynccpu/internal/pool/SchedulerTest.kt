package io.asynccpu.internal.pool

import io.asynccpu.BrokenPoolException
import io.asynccpu.ProcessTask
import io.asynccpu.WorkerCrashedException
import io.asynccpu.internal.pool.WorkerSlot.Phase
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlin.time.Duration.Companion.nanoseconds
import kotlinx.serialization.Serializable

/** An initializer for the setup tests; it never runs (the fake workers answer by hand). */
@Serializable
internal class SetupStep : ProcessTask<Unit> {
    override suspend fun run() = Unit
}

/** The scheduling rules, pinned without processes: each test plays the workers by hand through [FakeWorkerPort]s. */
class SchedulerTest :
    FunSpec({
        fun failureOf(request: Request): Throwable? = request.deferred.getCompletionExceptionOrNull()

        test("a new worker takes its running slots before HELLO, and no prefetch until run times are known") {
            val h = SchedulerHarness {
                maxWorkers = 1
                tasksPerWorker = 2
            }
            val requests = (1..10).map { h.submit() }
            h.port(1).runs shouldBe requests.take(2).map { it.id }
            h.hello(1)
            h.port(1).runs.size shouldBe 2
        }

        test("prefetch tiers: 64 more below 2 ms, one more round below 50 ms, none for long tasks") {
            for ((runMillis, expected) in listOf(1L to 1 + 64, 10L to 2, 100L to 1)) {
                val h = SchedulerHarness {
                    maxWorkers = 1
                    tasksPerWorker = 1
                }
                val requests = (1..100).map { h.submit() }
                h.hello(1)
                h.answer(1, requests[0], runMillis)
                h.port(1).slot.inFlight.size shouldBe expected
            }
        }

        test("tasks go to the least loaded worker, and a new worker is started only while the others are full") {
            val h = SchedulerHarness {
                maxWorkers = 3
                tasksPerWorker = 1
            }
            val first = h.submit()
            h.ports.size shouldBe 1
            h.submit()
            h.ports.size shouldBe 2
            h.hello(1)
            h.hello(2)
            h.answer(1, first)
            val third = h.submit()
            h.ports.size shouldBe 2
            h.port(1).runs.last() shouldBe third.id
        }

        test("after a crash the running request fails and the unstarted ones are requeued in order on another worker") {
            val h = SchedulerHarness {
                maxWorkers = 1
                tasksPerWorker = 1
            }
            val requests = (1..5).map { h.submit() }
            h.hello(1)
            h.answer(1, requests[0]) // the average is now 1 ms: requests 2-5 are prefetched by worker 1
            h.port(1).runs shouldBe requests.map { it.id }
            h.gone(1, exitCode = 134)
            failureOf(requests[1]).shouldBeInstanceOf<WorkerCrashedException>()
            h.port(2).runs shouldBe listOf(requests[2].id) // the replacement has not said HELLO: no prefetch yet
            h.hello(2)
            h.port(2).runs shouldBe requests.drop(2).map { it.id }
            requests.drop(2).forEach { it.deferred.isCompleted shouldBe false }
        }

        test(
            "a worker that dies before it was ready requeues everything and counts as a failure to start; enough of them break the pool"
        ) {
            val h = SchedulerHarness {
                maxWorkers = 1
                maxStartAttempts = 2
            }
            val request = h.submit()
            h.gone(1, exitCode = 1)
            request.deferred.isCompleted shouldBe false
            h.port(2).runs shouldBe listOf(request.id)
            h.gone(2, exitCode = 1)
            failureOf(request).shouldBeInstanceOf<BrokenPoolException>()
            shouldThrow<BrokenPoolException> { h.submit() }
            h.scheduler.restore()
            h.submit().deferred.isCompleted shouldBe false
        }

        test("killed workers never count as failures to start") {
            val h = SchedulerHarness {
                maxWorkers = 1
                maxStartAttempts = 2
            }
            val request = h.submit()
            h.gone(1, exitCode = 137)
            h.gone(2, killReason = "cancel grace period")
            h.gone(3, exitCode = 143)
            request.deferred.isCompleted shouldBe false
            h.port(4).runs shouldBe listOf(request.id)
            h.scheduler.checkBroken()
        }

        test("a pinned request never moves: it fails with its worker even when it had not started") {
            val h = SchedulerHarness {
                maxWorkers = 2
                minWorkers = 2
                tasksPerWorker = 1
            }
            h.hello(1)
            h.hello(2)
            val running = h.submitTo(1)
            val pinned = h.submitTo(1)
            val free = h.submit()
            h.port(1).runs shouldBe listOf(running.id, pinned.id)
            h.port(2).runs shouldBe listOf(free.id)
            h.gone(1, exitCode = 1)
            failureOf(running).shouldBeInstanceOf<WorkerCrashedException>()
            failureOf(pinned).shouldBeInstanceOf<WorkerCrashedException>()
            h.port(3).runs shouldBe emptyList()
        }

        test("a worker is recycled after maxTasksPerWorker tasks and the rest go to a fresh worker") {
            val h = SchedulerHarness {
                maxWorkers = 1
                maxTasksPerWorker = 2
            }
            val requests = (1..3).map { h.submit() }
            h.hello(1)
            h.answer(1, requests[0])
            h.port(1).runs shouldBe requests.take(2).map { it.id } // never more than it may still run
            h.answer(1, requests[1])
            h.port(1).slot.phase shouldBe Phase.RETIRING
            h.port(1).shutdowns shouldBe 1
            h.gone(1, exitCode = 0)
            h.port(2).runs shouldBe listOf(requests[2].id)
        }

        test(
            "setup runs before any task; a failed setup discards the worker, counts as a failure to start and kills it"
        ) {
            val h = SchedulerHarness {
                maxWorkers = 1
                maxStartAttempts = 1
                initializer = SetupStep()
            }
            val task = h.submit()
            val slot = h.port(1).slot
            slot.phase shouldBe Phase.SETTING_UP
            val setup = slot.inFlight.values.single()
            setup.kind shouldBe Request.Kind.SETUP
            h.hello(1)
            h.scheduler.answered(slot, setup.id, moreBuffered = false)
            setup.deferred.completeExceptionally(IllegalStateException("no database"))
            slot.phase shouldBe Phase.DISCARDED
            h.port(1).kills.size shouldBe 1
            failureOf(task).shouldBeInstanceOf<BrokenPoolException>()
        }

        test("a successful setup makes the worker ready and sends it the waiting tasks") {
            val h = SchedulerHarness {
                maxWorkers = 1
                initializer = SetupStep()
            }
            val task = h.submit()
            val slot = h.port(1).slot
            val setup = slot.inFlight.values.single()
            h.hello(1)
            h.scheduler.answered(slot, setup.id, moreBuffered = false)?.deferred?.complete(Unit)
            slot.phase shouldBe Phase.READY
            h.port(1).runs shouldBe listOf(setup.id, task.id)
        }

        test("the idle sweep retires idle workers down to minWorkers, never a busy one") {
            val h = SchedulerHarness {
                maxWorkers = 3
                minWorkers = 1
                startEagerly = true
                idleTimeout = 1.nanoseconds
            }
            (1..3).forEach { h.hello(it) }
            val busy = h.submit()
            h.scheduler.retireIdle()
            val busySlot = busy.slot!!
            busySlot.phase shouldBe Phase.READY
            h.ports.map { it.slot }.filter { it !== busySlot }.forEach { it.phase shouldBe Phase.RETIRING }
            h.scheduler.stats().let {
                it.workers shouldBe 3
                it.busyWorkers shouldBe 1
                it.idleWorkers shouldBe 0
            }
        }

        test("crash settlement is a pure function of the facts") {
            val requests = (1..3).map { Request(it.toLong(), SchedulerHarness.encoded("t")) }
            val exit = WorkerExit(1, null, emptyList())
            CrashSettlement.settle(Phase.READY, true, requests, emptyList(), exit, closing = false, runningSlots = 1)
                .let {
                    it.failed shouldBe requests.take(1)
                    it.requeued shouldBe requests.drop(1)
                    it.startFailure shouldBe false
                }
            CrashSettlement.settle(
                    Phase.STARTING,
                    false,
                    requests,
                    emptyList(),
                    exit,
                    closing = false,
                    runningSlots = 1,
                )
                .let {
                    it.requeued shouldBe requests
                    it.startFailure shouldBe true
                }
            CrashSettlement.settle(
                    Phase.DISCARDED,
                    false,
                    requests,
                    emptyList(),
                    exit,
                    closing = false,
                    runningSlots = 1,
                )
                .let {
                    it.failed shouldBe requests
                    it.startFailure shouldBe false
                }
            CrashSettlement.settle(
                    Phase.RETIRING,
                    true,
                    emptyList(),
                    emptyList(),
                    WorkerExit(0, null, emptyList()),
                    false,
                    1,
                )
                .graceful shouldBe true
        }
    })
