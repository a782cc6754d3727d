package io.asynccpu

/**
 * Marks API that works and is tested but whose shape may still change in a minor release (a name, a parameter, a
 * default). Opt in with `@OptIn(ExperimentalAsyncCpuApi::class)`, or with the compiler option
 * `-opt-in=io.asynccpu.ExperimentalAsyncCpuApi` for a whole module; Java callers need nothing.
 *
 * Behaviour on cancellation, worker crashes and bad input is documented on each marked declaration and holds as for the
 * rest of the API.
 */
@RequiresOptIn(
    message = "This asynccpu API may still change in a minor release; opt in to use it.",
    level = RequiresOptIn.Level.WARNING,
)
@Retention(AnnotationRetention.BINARY)
@Target(
    AnnotationTarget.CLASS,
    AnnotationTarget.FUNCTION,
    AnnotationTarget.PROPERTY,
    AnnotationTarget.CONSTRUCTOR,
    AnnotationTarget.TYPEALIAS,
)
public annotation class ExperimentalAsyncCpuApi
