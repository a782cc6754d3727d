package io.asynccpu.hazelcast.internal

import com.hazelcast.core.HazelcastInstance
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPool
import io.asynccpu.spi.EncodedFailureException
import io.asynccpu.spi.EncodedTask
import io.asynccpu.spi.EncodedTaskSubmitter
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.Deferred

/**
 * The asynccpu side of one Hazelcast member: its local [ProcessPool], the batches running on it (by caller pool id and
 * batch id, for [cancel]), and cancels that arrived before their batch.
 *
 * A batch runs on a Hazelcast executor thread that waits for its tasks; if that thread is interrupted (the caller
 * cancelled the Hazelcast future), every task of the batch is cancelled in the local pool, which cancels it in its
 * worker JVM (and kills a worker that ignores it past the pool's cancel grace period).
 */
@OptIn(InternalAsyncCpuApi::class)
internal class MemberRuntime(val pool: ProcessPool) {
    private val submitter = pool as EncodedTaskSubmitter
    private val running = HashMap<String, Running>()
    private val cancelledEarly = LinkedHashSet<String>()
    private val pid = ProcessHandle.current().pid()

    private class Running(size: Int) {
        val deferreds = arrayOfNulls<Deferred<Any?>>(size)
        val cancelled = BooleanArray(size)
    }

    fun run(batch: RunBatch): BatchResult {
        val start = System.nanoTime()
        val n = batch.bodies.size
        val key = key(batch.poolId, batch.batchId)
        val entry = Running(n)
        val status = ByteArray(n)
        val payloads = arrayOfNulls<ByteArray>(n)
        val latch = CountDownLatch(n)
        synchronized(this) {
            running[key] = entry
            for (i in 0 until n) if (cancelledEarly.remove(key(key, i))) entry.cancelled[i] = true
        }
        try {
            for (i in 0 until n) {
                try {
                    val task = EncodedTask.fromWire(batch.headers[batch.headerIndex[i]], batch.bodies[i])
                    synchronized(entry) {
                        if (entry.cancelled[i]) {
                            status[i] = BatchResult.CANCELLED
                            latch.countDown()
                            return@synchronized
                        }
                        val deferred = submitter.submitEncoded(task)
                        entry.deferreds[i] = deferred
                        deferred.invokeOnCompletion { cause ->
                            record(i, deferred, cause, status, payloads)
                            latch.countDown()
                        }
                    }
                } catch (e: Throwable) {
                    status[i] = BatchResult.FAILURE
                    payloads[i] = EncodedFailureException.encode(e)
                    latch.countDown()
                }
            }
            latch.await()
        } catch (e: InterruptedException) {
            synchronized(entry) { entry.deferreds.forEach { it?.cancel() } }
            throw e
        } finally {
            synchronized(this) { running.remove(key) }
        }
        return BatchResult(System.nanoTime() - start, pid, status, payloads)
    }

    private fun record(
        i: Int,
        deferred: Deferred<Any?>,
        cause: Throwable?,
        status: ByteArray,
        payloads: Array<ByteArray?>,
    ) {
        when (cause) {
            null -> {
                @OptIn(kotlinx.coroutines.ExperimentalCoroutinesApi::class)
                payloads[i] = deferred.getCompleted() as ByteArray
                status[i] = BatchResult.RESULT
            }
            is CancellationException -> status[i] = BatchResult.CANCELLED
            else -> {
                payloads[i] = EncodedFailureException.encode(cause)
                status[i] = BatchResult.FAILURE
            }
        }
    }

    /** Cancels one task; returns whether its batch was running here. */
    fun cancel(poolId: String, batchId: Long, index: Int): Boolean {
        val key = key(poolId, batchId)
        val entry =
            synchronized(this) {
                running[key]
                    ?: run {
                        if (cancelledEarly.size >= MAX_EARLY_CANCELS) cancelledEarly.remove(cancelledEarly.first())
                        cancelledEarly += key(key, index)
                        return false
                    }
            }
        synchronized(entry) {
            if (index !in entry.cancelled.indices) return false
            entry.cancelled[index] = true
            entry.deferreds[index]?.cancel()
        }
        return true
    }

    private fun key(poolId: String, batchId: Long) = "$poolId/$batchId"

    private fun key(batch: String, index: Int) = "$batch#$index"

    companion object {
        private const val MAX_EARLY_CANCELS = 10_000
        private val runtimes = ConcurrentHashMap<String, MemberRuntime>()

        /** Registers [runtime] for the Hazelcast instance named [instanceName], before it starts. */
        fun register(instanceName: String, runtime: MemberRuntime) {
            runtimes[instanceName] = runtime
        }

        fun unregister(instanceName: String) {
            runtimes.remove(instanceName)
        }

        fun of(instance: HazelcastInstance): MemberRuntime =
            runtimes[instance.name]
                ?: throw IllegalStateException(
                    "Hazelcast member ${instance.name} hosts no asynccpu pool: start members with ClusterMember.start or MemberMain"
                )
    }
}
