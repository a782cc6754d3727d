package io.asynccpu

import java.io.FileDescriptor
import java.io.FileOutputStream
import kotlinx.coroutines.delay
import kotlinx.serialization.Serializable

// Tasks and functions that the core tests send to real worker JVMs (like Bazel's ExampleWorker).

@Serializable
class SumOfSquares(val n: Long) : ProcessTask<Long> {
    override suspend fun run(): Long = (0 until n).sumOf { it * it }
}

/** What a task saw when it ran: which worker, and when (epoch millis, the worker's clock). */
@Serializable data class RunRecord(val index: Int, val pid: Long, val startedAt: Long, val finishedAt: Long)

@Serializable
class TimedTask(val index: Int, val millis: Long) : ProcessTask<RunRecord> {
    override suspend fun run(): RunRecord {
        val start = System.currentTimeMillis()
        val spinUntil = System.nanoTime() + millis * 1_000_000
        var x = 0L
        while (System.nanoTime() < spinUntil) x += 1
        return RunRecord(index, ProcessHandle.current().pid(), start, System.currentTimeMillis())
    }
}

@Serializable
class PidTask : ProcessTask<Long> {
    override suspend fun run(): Long = ProcessHandle.current().pid()
}

@Serializable data class Point(val x: Int, val y: Int)

@Serializable
class PointsTask(val n: Int) : ProcessTask<List<Point>> {
    override suspend fun run(): List<Point> = (0 until n).map { Point(it, it * it) }
}

@Serializable
class NullableTask(val returnNull: Boolean) : ProcessTask<String?> {
    override suspend fun run(): String? = if (returnNull) null else "value"
}

@Serializable
class UnitTask : ProcessTask<Unit> {
    override suspend fun run() {}
}

@Serializable
class BigResultTask(val megabytes: Int) : ProcessTask<ByteArray> {
    override suspend fun run(): ByteArray = ByteArray(megabytes shl 20) { it.toByte() }
}

@Serializable
class EchoTask(val payload: ByteArray) : ProcessTask<ByteArray> {
    override suspend fun run(): ByteArray = payload
}

@Serializable
class ThrowingTask(val kind: String) : ProcessTask<String> {
    override suspend fun run(): String =
        when (kind) {
            "arithmetic" -> (1 / (kind.length - kind.length)).toString()
            "chain" -> throw IllegalStateException("outer", IllegalArgumentException("inner"))
            "suppressed" -> throw RuntimeException("main").apply { addSuppressed(IllegalArgumentException("extra")) }
            "custom" -> throw WorkerOnlyException("only the worker knows this type")
            else -> error("unknown kind $kind")
        }
}

/** An exception class without a (String) constructor, so the caller cannot rebuild it. */
class WorkerOnlyException private constructor(message: String, marker: Int) : RuntimeException(message) {
    constructor(message: String) : this(message, 0)

    override val message: String
        get() = "custom: " + super.message
}

@Serializable
class SleepTask(val millis: Long, val marker: String = "") : ProcessTask<String> {
    override suspend fun run(): String {
        println("started")
        delay(millis)
        return "slept $millis"
    }
}

/** Blocks its thread (no suspension points): only an interrupt stops it. */
@Serializable
class BlockingSleepTask(val millis: Long) : ProcessTask<String> {
    override suspend fun run(): String {
        println("started")
        Thread.sleep(millis)
        return "done"
    }
}

/** Spins without checking for cancellation or interrupts: only killing the worker stops it. */
@Serializable
class StubbornTask(val millis: Long) : ProcessTask<String> {
    override suspend fun run(): String {
        println("started")
        val until = System.nanoTime() + millis * 1_000_000
        while (System.nanoTime() < until) Thread.onSpinWait()
        return "finished"
    }
}

/** Writes [marker] to a file when it starts, so a test can see whether it ever ran. */
@Serializable
class MarkerTask(val path: String, val millis: Long) : ProcessTask<String> {
    override suspend fun run(): String {
        java.io.File(path).appendText("ran\n")
        delay(millis)
        return "marked"
    }
}

@Serializable
class ExitTask(val how: String) : ProcessTask<String> {
    override suspend fun run(): String {
        System.err.println("about to $how")
        System.err.flush()
        when (how) {
            "exit" -> System.exit(3)
            "halt" -> Runtime.getRuntime().halt(4)
            "sigkill" -> ProcessBuilder("kill", "-9", ProcessHandle.current().pid().toString()).start().waitFor()
            "oom" -> {
                val hoard = ArrayList<LongArray>()
                while (true) hoard += LongArray(1 shl 20)
            }
        }
        Thread.sleep(10_000)
        return "unreachable"
    }
}

@Serializable
class NoisyTask(val lines: Int) : ProcessTask<Int> {
    override suspend fun run(): Int {
        repeat(lines) { println("stdout line $it") }
        val raw = FileOutputStream(FileDescriptor.out)
        raw.write(byteArrayOf(0xAC.toByte(), 0x9C.toByte(), 16, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 1))
        raw.write("raw bytes to fd 1\n".toByteArray())
        raw.flush()
        System.err.println("stderr line")
        return lines
    }
}

/** Not @Serializable on purpose. */
class NotSerializableTask(val x: Int) : ProcessTask<Int> {
    override suspend fun run(): Int = x
}

class Opaque(val value: Int)

@Serializable
class BadFieldTask(@Serializable(with = FailingSerializer::class) val field: Opaque) : ProcessTask<Int> {
    override suspend fun run(): Int = field.value
}

object FailingSerializer : kotlinx.serialization.KSerializer<Opaque> {
    override val descriptor =
        kotlinx.serialization.descriptors.PrimitiveSerialDescriptor(
            "Opaque",
            kotlinx.serialization.descriptors.PrimitiveKind.INT,
        )

    override fun serialize(encoder: kotlinx.serialization.encoding.Encoder, value: Opaque) =
        throw IllegalStateException("Opaque values cannot be encoded")

    override fun deserialize(decoder: kotlinx.serialization.encoding.Decoder): Opaque = Opaque(decoder.decodeInt())
}

@Serializable class Fragile(@Serializable(with = FailingSerializer::class) val opaque: Opaque)

/** Its result type is serializable, but this value fails to encode in the worker. */
@Serializable
class BadResultTask : ProcessTask<Fragile> {
    override suspend fun run(): Fragile = Fragile(Opaque(1))
}

/** Its declared result type has no serializer: refused at submit. */
@Serializable
class UnserializableResultTask : ProcessTask<Opaque> {
    override suspend fun run(): Opaque = Opaque(1)
}

/** Writes garbage into its own answer channel (found through /proc), as a buggy native library might. */
@Serializable
class ChannelCorruptingTask : ProcessTask<String> {
    override suspend fun run(): String {
        val fd =
            java.io.File("/proc/self/fd").listFiles()!!.first {
                runCatching { java.nio.file.Files.readSymbolicLink(it.toPath()).toString() }
                    .getOrDefault("")
                    .contains(".fifo")
            }
        java.io.FileOutputStream(fd).use { it.write("garbage that is not a frame at all".toByteArray()) }
        Thread.sleep(10_000)
        return "unreachable"
    }
}

/** Appends "ran" to a file, then kills its own worker. */
@Serializable
class MarkAndExitTask(val path: String) : ProcessTask<String> {
    override suspend fun run(): String {
        java.io.File(path).appendText("ran\n")
        Runtime.getRuntime().halt(5)
        return "unreachable"
    }
}
