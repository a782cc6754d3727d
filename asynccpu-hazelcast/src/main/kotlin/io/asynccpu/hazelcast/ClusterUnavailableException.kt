package io.asynccpu.hazelcast

import io.asynccpu.ProcessPoolException

/**
 * The cluster cannot be reached: no member answered within the connect timeout (at start, or after the connection to
 * every member was lost). Check the cluster name, the member addresses and the firewall; the message names the
 * addresses tried.
 */
public class ClusterUnavailableException(message: String, cause: Throwable? = null) :
    ProcessPoolException(message, cause)
