package io.asynccpu.hazelcast

import com.hazelcast.config.Config
import io.asynccpu.ProcessPoolBuilder
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Settings of a cluster member started with [ClusterMember.start] (or [MemberMain]). The defaults are the safe ones:
 * TCP-IP join with the listed [members] only, bound to [bindInterface] only, no multicast, no cloud auto-detection, no
 * phone-home.
 */
public class ClusterMemberBuilder {
    /** The cluster's name; required. Members and callers with another name never join each other. */
    public var clusterName: String = ""

    /** `host` or `host:port` of the other members (TCP-IP join); empty: a cluster of one. */
    public val members: MutableList<String> = mutableListOf()

    /** The interface (IP address, wildcards like `10.0.*.*` allowed) this member binds to and listens on. */
    public var bindInterface: String = "127.0.0.1"

    /** The port to listen on. */
    public var port: Int = 5701

    /** Whether to try the next ports when [port] is taken. */
    public var portAutoIncrement: Boolean = true

    /** The address other machines reach this member at, when it differs (NAT); null: the bound one. */
    public var publicAddress: String? = null

    /** How long a silent member is kept before it is declared lost (heartbeat timeout). */
    public var memberLossTimeout: Duration = 5.seconds

    /** Settings of the member's local pool of worker JVMs (maxWorkers, tasksPerWorker, jvmArgs...). */
    public var pool: ProcessPoolBuilder.() -> Unit = {}

    /** Whether worker log records are published to callers that forward logs (asynccpu-logging in the member). */
    public var forwardLogs: Boolean = true

    /** A last hook on the Hazelcast `Config` (advanced: Enterprise TLS, extra properties). */
    public var hazelcastConfig: (Config.() -> Unit)? = null
}
