package io.asynccpu.hazelcast

import com.hazelcast.client.config.ClientConfig
import io.asynccpu.ProcessPool
import io.asynccpu.hazelcast.internal.RealClusterPool
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds

/**
 * Settings of a cluster-backed [ProcessPool] built by [ClusterPool] (or, from Java, by `new ClusterPoolBuilder()` +
 * setters + [build]). The application connects as a Hazelcast client to the listed [members] of the cluster
 * [clusterName].
 */
public class ClusterPoolBuilder {
    /** The cluster's name; required. */
    public var clusterName: String = ""

    /** `host:port` addresses of some members (the client learns the others); required. */
    public val members: MutableList<String> = mutableListOf()

    /** The pool's name, used in messages. */
    public var name: String = "asynccpu-cluster"

    /**
     * How long the client tries to reach the cluster, at start and after losing it. Building the pool fails with
     * [ClusterUnavailableException] after this; once connected, losing every member for this long fails the waiting
     * tasks with it and closes the pool.
     */
    public var connectTimeout: Duration = 10.seconds

    /** How long a silent member is kept before it is declared lost (client heartbeat timeout). */
    public var memberLossTimeout: Duration = 5.seconds

    /**
     * How many times a task whose member was lost is sent to another member. 0 (the default): never, the task fails
     * with [MemberLostException]. Raise it only for idempotent tasks: a lost member may have run the task partly or
     * fully.
     */
    public var retriesOnMemberLoss: Int = 0

    /** At most this many tasks travel in one envelope to one member. */
    public var maxBatch: Int = 256

    /** Extra tasks a member may hold beyond its running capacity, when tasks are short (under 2 ms). */
    public var prefetch: Int = 512

    /** The largest encoded task accepted at submit, in bytes. */
    public var maxFrameSize: Int = 1 shl 30

    /**
     * Whether worker log records on members are re-emitted into this process's SLF4J (MDC `asynccpu.member`,
     * `asynccpu.pid`).
     */
    public var forwardLogs: Boolean = false

    /** A last hook on the Hazelcast `ClientConfig` (advanced). */
    public var hazelcastClientConfig: (ClientConfig.() -> Unit)? = null

    /** Sets [clusterName] (for Java). */
    public fun clusterName(name: String): ClusterPoolBuilder = apply { clusterName = name }

    /** Adds [addresses] to [members] (for Java). */
    public fun members(vararg addresses: String): ClusterPoolBuilder = apply { members += addresses }

    /** Sets [retriesOnMemberLoss] (for Java). */
    public fun retriesOnMemberLoss(retries: Int): ClusterPoolBuilder = apply { retriesOnMemberLoss = retries }

    /**
     * Connects to the cluster and returns the pool; blocks until connected or [connectTimeout] passed.
     *
     * @throws IllegalArgumentException if [clusterName] or [members] is missing or a setting is invalid.
     * @throws ClusterUnavailableException if no member could be reached within [connectTimeout].
     */
    public fun build(): ProcessPool {
        require(clusterName.isNotBlank()) { "clusterName is required: the name members were started with (--cluster)" }
        require(members.isNotEmpty()) { "members is required: host:port of at least one member" }
        require(retriesOnMemberLoss >= 0) { "retriesOnMemberLoss must not be negative, was $retriesOnMemberLoss" }
        require(maxBatch >= 1) { "maxBatch must be at least 1, was $maxBatch" }
        require(prefetch >= 0) { "prefetch must not be negative, was $prefetch" }
        require(connectTimeout.isPositive()) { "connectTimeout must be positive" }
        return RealClusterPool(this)
    }
}

/**
 * Connects to a Hazelcast cluster of asynccpu members and returns a [ProcessPool] that runs tasks on them; code written
 * against `ProcessPool` runs unchanged.
 *
 * ```
 * ClusterPool { clusterName = "render"; members += listOf("10.0.0.5:5701", "10.0.0.6:5701") }.use { pool ->
 *     val all = (0 until 1000).map { pool.submit(SumOfSquares(it)) }.awaitAll()
 * }
 * ```
 *
 * Tasks wait in this pool's own queue and go, in envelopes of up to [ClusterPoolBuilder.maxBatch], to the member with
 * the fewest tasks in flight (relative to its capacity) that has room.
 * - **Cancellation**: cancelling a task's `Deferred` (or future, or `withTimeout`) cancels it on its member, which
 *   cancels it in its worker JVM; a queued task never leaves this process.
 * - **Member loss**: the tasks the lost member held fail with [MemberLostException], unless
 *   [ClusterPoolBuilder.retriesOnMemberLoss] allows sending them to another member.
 * - **Worker crash** on a member: [io.asynccpu.WorkerCrashedException], as locally.
 * - **Task failure**: the task's own exception type when it exists here, as locally.
 * - `submitWithProgress`, `submitTo`, `broadcast` and `stream` throw `UnsupportedOperationException`.
 *
 * @throws IllegalArgumentException if a setting is missing or invalid.
 * @throws ClusterUnavailableException if no member could be reached within the connect timeout.
 */
public fun ClusterPool(configure: ClusterPoolBuilder.() -> Unit): ProcessPool =
    ClusterPoolBuilder().apply(configure).build()
