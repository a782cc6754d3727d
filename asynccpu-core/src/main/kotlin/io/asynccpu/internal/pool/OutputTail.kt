package io.asynccpu.internal.pool

/** The last [capacity] lines a worker wrote to stdout and stderr, for crash reports. */
internal class OutputTail(private val capacity: Int = 30) {
    private val lines = ArrayDeque<String>()

    @Synchronized
    fun add(line: String) {
        if (lines.size == capacity) lines.removeFirst()
        lines.addLast(line)
    }

    @Synchronized fun snapshot(): List<String> = lines.toList()
}
