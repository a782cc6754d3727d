package io.asynccpu.hazelcast

import io.asynccpu.ProcessPoolException

/**
 * The cluster member running the task left or died before the task answered. The task may have run partly or fully
 * there; it is not retried unless the pool was built with `retriesOnMemberLoss` (for idempotent tasks), and this is
 * thrown once the retries are used up.
 */
public class MemberLostException(
    message: String,
    /** The lost member's address, `host:port`. */
    public val member: String,
    cause: Throwable? = null,
) : ProcessPoolException(message, cause)
