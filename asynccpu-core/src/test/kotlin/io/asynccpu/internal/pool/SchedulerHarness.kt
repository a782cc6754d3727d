package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.internal.codec.EncodedCall
import io.asynccpu.internal.protocol.RunHeader
import kotlinx.serialization.builtins.serializer

/** A [Scheduler] wired to [FakeWorkerPort]s; the test plays the workers' side by hand. */
internal class SchedulerHarness(configure: ProcessPoolBuilder.() -> Unit) {
    val config = ProcessPoolBuilder().apply(configure).build()
    val ports = ArrayList<FakeWorkerPort>()
    val scheduler =
        Scheduler(
            config,
            PoolEvents(),
            PoolTelemetry(config.name),
            { _, slot -> FakeWorkerPort(slot).also { ports += it } },
            {},
        )

    init {
        scheduler.start()
    }

    fun port(workerId: Int): FakeWorkerPort = ports.first { it.slot.id == workerId }

    fun submit(name: String = "t"): Request = scheduler.newRequest(encoded(name)).also { scheduler.enqueue(it) }

    fun submitTo(workerId: Int): Request =
        scheduler.newRequest(encoded("pinned")).also { r ->
            scheduler.enqueuePinned(workerId, r) { error("no worker $workerId") }
        }

    fun hello(workerId: Int) = scheduler.onHello(port(workerId).slot)

    /** The worker answers [request] with a result after [runMillis] of running. */
    fun answer(workerId: Int, request: Request, runMillis: Long = 1) {
        scheduler.prefetch.record(runMillis * 1_000_000)
        scheduler.answered(port(workerId).slot, request.id, moreBuffered = false)?.deferred?.complete(request.id)
    }

    /** The worker's process ends with [exitCode]; [killReason] if the pool killed it. */
    fun gone(workerId: Int, exitCode: Int = 1, killReason: String? = null) =
        scheduler.onWorkerGone(port(workerId).slot, WorkerExit(exitCode, null, emptyList(), killReason))

    companion object {
        @Suppress("UNCHECKED_CAST")
        fun encoded(name: String) =
            EncodedCall(
                RunHeader(RunHeader.KIND_TASK, "test.$name"),
                ByteArray(0),
                Long.serializer() as kotlinx.serialization.KSerializer<Any?>,
                "task $name",
            )
    }
}
