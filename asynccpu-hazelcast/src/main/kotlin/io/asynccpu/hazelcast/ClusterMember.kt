package io.asynccpu.hazelcast

import com.hazelcast.core.Hazelcast
import com.hazelcast.core.HazelcastInstance
import io.asynccpu.InternalAsyncCpuApi
import io.asynccpu.ProcessPool
import io.asynccpu.hazelcast.internal.HazelcastSetup
import io.asynccpu.hazelcast.internal.LogPublisher
import io.asynccpu.hazelcast.internal.MemberRuntime
import io.asynccpu.logging.forwardLogs
import io.asynccpu.spi.EncodedTaskSubmitter

/**
 * One machine's share of a cluster: a Hazelcast member that runs the tasks sent to it in its own local [ProcessPool] of
 * worker JVMs (so isolation, crash and cancel guarantees are those of the local pool). Start one per machine with
 * [start], or from the command line with [MemberMain].
 *
 * The member advertises its capacity (`maxWorkers × tasksPerWorker` of its pool) to callers, which never send it more
 * than that plus a prefetch window for short tasks.
 */
public class ClusterMember
private constructor(
    /** The local pool running this member's tasks. */
    public val pool: ProcessPool,
    /** The Hazelcast member. */
    public val hazelcast: HazelcastInstance,
) : AutoCloseable {
    /** The address other members and callers reach this member at, `host:port`. */
    public val address: String
        get() = hazelcast.cluster.localMember.address.let { "${it.host}:${it.port}" }

    /**
     * Leaves the cluster and closes the local pool. Tasks still running here fail on their callers with
     * [MemberLostException] (or are retried there if they opted in). Calling it again has no effect.
     */
    override fun close() {
        if (hazelcast.lifecycleService.isRunning) {
            MemberRuntime.unregister(hazelcast.name)
            hazelcast.shutdown()
        }
        pool.close()
    }

    override fun toString(): String = "ClusterMember($address)"

    public companion object {
        /**
         * Starts a member configured by [configure] and returns once it has joined (or formed) the cluster and can run
         * tasks. Blocks the calling thread while Hazelcast starts.
         *
         * @throws IllegalArgumentException if [ClusterMemberBuilder.clusterName] is missing or a pool setting is
         *   invalid.
         */
        @JvmStatic
        @OptIn(InternalAsyncCpuApi::class)
        public fun start(configure: ClusterMemberBuilder.() -> Unit): ClusterMember {
            val settings = ClusterMemberBuilder().apply(configure)
            require(settings.clusterName.isNotBlank()) {
                "clusterName is required (--cluster NAME): members and callers must use the same one"
            }
            val sizing = EncodedTaskSubmitter.configOf(settings.pool)
            val capacity = sizing.maxWorkers * sizing.tasksPerWorker
            val publisher = LogPublisher()
            val pool = ProcessPool {
                settings.pool(this)
                if (settings.forwardLogs) forwardLogs { listener = publisher }
            }
            val config = HazelcastSetup.memberConfig(settings, capacity)
            MemberRuntime.register(config.instanceName, MemberRuntime(pool))
            val instance =
                try {
                    Hazelcast.newHazelcastInstance(config)
                } catch (e: Throwable) {
                    MemberRuntime.unregister(config.instanceName)
                    pool.close()
                    throw e
                }
            publisher.attach(instance)
            return ClusterMember(pool, instance)
        }
    }
}
