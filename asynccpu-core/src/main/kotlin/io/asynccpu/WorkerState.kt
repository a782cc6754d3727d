package io.asynccpu

import java.util.concurrent.ConcurrentHashMap

/**
 * Per-worker state: values that tasks running in the same worker process share, typically set up once per worker by a
 * [ProcessPool.broadcast] or by the pool's initializer ("load the lookup table into every worker, then let each task
 * read it").
 *
 * ```
 * @Serializable
 * class LoadTable(val path: String) : ProcessTask<Int> {
 *     override suspend fun run(): Int { val t = readTable(path); WorkerState["table"] = t; return t.size }
 * }
 *
 * @Serializable
 * class Lookup(val key: String) : ProcessTask<String?> {
 *     override suspend fun run(): String? = WorkerState.get<Map<String, String>>("table")?.get(key)
 * }
 * ```
 *
 * It is an ordinary thread-safe map that lives as long as the worker process: a replacement worker (after a crash, an
 * idle retirement or `maxTasksPerWorker`) starts empty, which is why sticky broadcasts and the initializer run again in
 * every new worker. In the caller's process it is a plain map of the caller, which tasks run in tests without a pool
 * can use the same way.
 */
public object WorkerState {
    private val values = ConcurrentHashMap<String, Any>()

    /** The pool-local id of the worker this code runs in (see [WorkerInfo.id]), or null outside a worker. */
    @Volatile
    public var workerId: Int? = null
        internal set

    /** Stores [value] under [key], replacing an earlier value; a null [value] removes the key. */
    public operator fun set(key: String, value: Any?) {
        if (value == null) values.remove(key) else values[key] = value
    }

    /**
     * The value stored under [key], or null if there is none.
     *
     * @throws ClassCastException if the value is not a [T].
     */
    @Suppress("UNCHECKED_CAST") public operator fun <T> get(key: String): T? = values[key] as T?

    /** The value under [key], storing the one [create] returns if there is none (atomically). */
    @Suppress("UNCHECKED_CAST")
    public fun <T : Any> getOrPut(key: String, create: () -> T): T = values.computeIfAbsent(key) { create() } as T

    /** Whether a value is stored under [key]. */
    public operator fun contains(key: String): Boolean = values.containsKey(key)

    /** Removes every value. */
    public fun clear() {
        values.clear()
    }
}
