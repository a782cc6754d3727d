package io.asynccpu.logging.internal

/**
 * Stands in for a worker exception whose class cannot be rebuilt in the caller: its message starts with the original
 * class name, so logging frameworks print `ForwardedException: com.example.Err: boom`.
 */
internal class ForwardedException(val remoteClassName: String, remoteMessage: String?, cause: Throwable?) :
    RuntimeException(if (remoteMessage == null) remoteClassName else "$remoteClassName: $remoteMessage", cause)
