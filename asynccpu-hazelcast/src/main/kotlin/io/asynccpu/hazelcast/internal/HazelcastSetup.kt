package io.asynccpu.hazelcast.internal

import com.hazelcast.client.config.ClientConfig
import com.hazelcast.config.Config
import com.hazelcast.config.ExecutorConfig
import com.hazelcast.config.JavaSerializationFilterConfig
import com.hazelcast.config.SerializationConfig
import io.asynccpu.hazelcast.ClusterMemberBuilder
import io.asynccpu.hazelcast.ClusterPoolBuilder

/**
 * The Hazelcast configurations asynccpu builds, with safe defaults: no phone-home, no cloud or multicast discovery,
 * TCP-IP join with the explicit member list, binding only to the configured interface, the asynccpu serializable
 * factory registered, and Java deserialization limited by Hazelcast's filter (its default deny list).
 */
internal object HazelcastSetup {
    /** Executor running task batches (one thread waits per batch). */
    const val TASK_EXECUTOR: String = "asynccpu.tasks"

    /** Executor for cancels: never queued behind batches. */
    const val CONTROL_EXECUTOR: String = "asynccpu.control"

    /** Topic carrying worker log records to callers that forward logs. */
    const val LOG_TOPIC: String = "asynccpu.logs"

    /** Member attribute: how many tasks the member runs at once (maxWorkers × tasksPerWorker). */
    const val CAPACITY_ATTRIBUTE: String = "asynccpu.capacity"

    /** Member attribute: the member JVM's pid. */
    const val PID_ATTRIBUTE: String = "asynccpu.pid"

    fun memberConfig(b: ClusterMemberBuilder, capacity: Int): Config {
        val config = Config()
        config.clusterName = b.clusterName
        config.instanceName = "asynccpu-member-" + java.util.UUID.randomUUID()
        common(config.properties)
        config.setProperty(
            "hazelcast.max.no.heartbeat.seconds",
            b.memberLossTimeout.inWholeSeconds.coerceAtLeast(2).toString(),
        )
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1")
        config.setProperty("hazelcast.socket.bind.any", "false")
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL")
        val network = config.networkConfig
        network.port = b.port
        network.isPortAutoIncrement = b.portAutoIncrement
        network.publicAddress = b.publicAddress
        network.interfaces.setEnabled(true).addInterface(b.bindInterface)
        val join = network.join
        join.multicastConfig.isEnabled = false
        join.autoDetectionConfig.isEnabled = false
        join.tcpIpConfig.setEnabled(true).setMembers(b.members.ifEmpty { listOf(b.bindInterface) })
        config.jetConfig.isEnabled = false
        config.memberAttributeConfig.setAttribute(CAPACITY_ATTRIBUTE, capacity.toString())
        config.memberAttributeConfig.setAttribute(PID_ATTRIBUTE, ProcessHandle.current().pid().toString())
        config.addExecutorConfig(ExecutorConfig(TASK_EXECUTOR).setPoolSize(maxOf(16, 4 * capacity)))
        config.addExecutorConfig(ExecutorConfig(CONTROL_EXECUTOR).setPoolSize(2))
        serialization(config.serializationConfig)
        b.hazelcastConfig?.invoke(config)
        return config
    }

    fun clientConfig(b: ClusterPoolBuilder): ClientConfig {
        val config = ClientConfig()
        config.clusterName = b.clusterName
        config.instanceName = "asynccpu-client-" + java.util.UUID.randomUUID()
        common(config.properties)
        config.setProperty("hazelcast.client.heartbeat.interval", "1000")
        config.setProperty(
            "hazelcast.client.heartbeat.timeout",
            b.memberLossTimeout.inWholeMilliseconds.coerceAtLeast(2000).toString(),
        )
        config.setProperty("hazelcast.client.shutdownhook.enabled", "false")
        val network = config.networkConfig
        network.setAddresses(b.members.toList())
        network.autoDetectionConfig.isEnabled = false
        network.cloudConfig.isEnabled = false
        config.connectionStrategyConfig.connectionRetryConfig.clusterConnectTimeoutMillis =
            b.connectTimeout.inWholeMilliseconds
        config.connectionStrategyConfig.connectionRetryConfig.maxBackoffMillis = 1000
        serialization(config.serializationConfig)
        b.hazelcastClientConfig?.invoke(config)
        return config
    }

    private fun common(properties: java.util.Properties) {
        properties.setProperty("hazelcast.phone.home.enabled", "false")
        properties.setProperty("hazelcast.logging.type", System.getProperty("hazelcast.logging.type") ?: "slf4j")
    }

    private fun serialization(config: SerializationConfig) {
        config.addDataSerializableFactory(ClusterSerializables.FACTORY_ID, ClusterSerializables)
        config.javaSerializationFilterConfig = JavaSerializationFilterConfig()
    }
}
