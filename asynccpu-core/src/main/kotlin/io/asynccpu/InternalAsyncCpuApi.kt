package io.asynccpu

/**
 * Marks declarations that are public only so that other asynccpu modules can use them (for example `asynccpu-hazelcast`
 * submitting tasks that arrive already encoded). They may change or disappear in any release, without notice;
 * application code should not opt in.
 *
 * @suppress
 */
@RequiresOptIn(
    message = "This is an internal asynccpu API for asynccpu's own modules; it may change without notice.",
    level = RequiresOptIn.Level.ERROR,
)
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.CONSTRUCTOR,
    AnnotationTarget.TYPEALIAS,
)
public annotation class InternalAsyncCpuApi
