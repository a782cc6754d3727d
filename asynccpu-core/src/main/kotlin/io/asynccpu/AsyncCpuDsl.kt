package io.asynccpu

/**
 * The DSL marker of asynccpu's builders ([ProcessPoolBuilder] and the builders of add-ons such as `forwardLogs { }`):
 * inside a nested builder block, the settings of the outer builder cannot be set by accident. `ProcessPool {
 * forwardLogs { maxWorkers = 3 } }` does not compile; write `this@ProcessPool.maxWorkers` or move the line out of the
 * inner block.
 */
@DslMarker @Retention(AnnotationRetention.BINARY) @Target(AnnotationTarget.CLASS) public annotation class AsyncCpuDsl
