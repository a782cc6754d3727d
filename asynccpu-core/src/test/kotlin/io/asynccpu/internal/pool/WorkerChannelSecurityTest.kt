package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.SumOfSquares
import io.asynccpu.TaskLoadingException
import io.asynccpu.internal.codec.RemoteFailures
import io.asynccpu.internal.codec.TaskCodec
import io.asynccpu.internal.protocol.Frame
import io.asynccpu.internal.protocol.FrameReader
import io.asynccpu.internal.protocol.FrameWriter
import io.asynccpu.internal.protocol.Messages
import io.asynccpu.internal.protocol.Protocol
import io.asynccpu.internal.protocol.ProtocolCbor
import io.asynccpu.internal.protocol.RemoteFailure
import io.asynccpu.internal.protocol.RunHeader
import io.asynccpu.userfunctions.noArguments
import io.asynccpu.userfunctions.plainSquare
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.io.BufferedInputStream
import java.io.File
import java.io.FileInputStream
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import java.util.concurrent.TimeUnit
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout

/**
 * Its static initializer writes the file named by the system property `asynccpu.test.initMarker`. It implements no task
 * interface: a worker must refuse it without ever initialising it.
 */
class StaticInitWritesFile {
    companion object {
        init {
            File(System.getProperty("asynccpu.test.initMarker")).writeText("initialised")
        }

        @JvmStatic fun hello(): String = "hello"
    }
}

/**
 * Issue 7, test 8: the worker's side of the channel, driven by hand. The test plays the parent: it starts a real worker
 * with [WorkerLauncher], writes crafted RUN frames to its stdin and reads the answers from its FIFO.
 */
class WorkerChannelSecurityTest :
    FunSpec({
        class Peer(
            val launcher: WorkerLauncher,
            val process: Process,
            val fifo: Path,
            val frames: FrameReader,
            val writer: FrameWriter,
        ) {
            fun send(frame: Frame) = writer.send(frame)

            fun next(): Frame = frames.readFrame() ?: error("the worker closed its channel")

            fun stop() {
                writer.send(Messages.control(Protocol.TYPE_SHUTDOWN))
                writer.close()
                if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly()
                launcher.close()
            }
        }

        val dir = Files.createTempDirectory("asynccpu-security-")
        val marker = dir.resolve("initialised.txt")
        val pwned = dir.resolve("pwned.txt")
        val shellBait = "\$(touch $pwned); `touch $pwned` | touch $pwned && echo '\"$pwned"

        suspend fun startWorker(): Peer =
            withContext(Dispatchers.IO) {
                val config =
                    ProcessPoolBuilder()
                        .apply {
                            maxWorkers = 1
                            jvmArgs += "-Dasynccpu.test.initMarker=$marker"
                            jvmArgs += "-Dasynccpu.test.shellBait=$shellBait"
                        }
                        .build()
                val launcher = WorkerLauncher(config)
                val fifo = launcher.createFifo(1, System.nanoTime())
                PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo.parent)) shouldBe "rwx------"
                PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)) shouldBe "rw-------"
                val process = WorkerProcess.launch(launcher.prepare(1, fifo))
                val writer = FrameWriter("security-test-writer", open = { process.outputStream }, onFailure = {})
                val frames = FrameReader(BufferedInputStream(FileInputStream(fifo.toFile())), config.maxFrameSize)
                Peer(launcher, process, fifo, frames, writer).also { it.next().type shouldBe Protocol.TYPE_HELLO }
            }

        test("RUN frames naming a class that implements no task interface are refused without initialising it") {
            val peer = startWorker()
            try {
                withTimeout(60_000) {
                    withContext(Dispatchers.IO) {
                        val name = StaticInitWritesFile::class.java.name
                        peer.send(Messages.run(1, RunHeader(RunHeader.KIND_TASK, name), ByteArray(0)))
                        peer.send(Messages.run(2, RunHeader(RunHeader.KIND_JAVA_TASK, name), ByteArray(0)))
                        peer.send(
                            Messages.run(
                                3,
                                RunHeader(RunHeader.KIND_FUNCTION, name, "missing", "()Ljava/lang/String;"),
                                ByteArray(0),
                            )
                        )
                        peer.send(Messages.run(4, RunHeader(RunHeader.KIND_TASK, "[L$name;"), ByteArray(0)))
                        for (id in 1L..4L) {
                            val answer = peer.next()
                            answer.id shouldBe id
                            answer.type shouldBe Protocol.TYPE_FAILURE
                            Messages.parseFailure(answer).kind shouldBe RemoteFailure.KIND_LOADING
                        }
                        // The worker is still healthy and answers a real task.
                        val task = TaskCodec.encodeTask(SumOfSquares(4))
                        peer.send(Messages.run(5, task.header, task.body))
                        val result = peer.next()
                        result.type shouldBe Protocol.TYPE_RESULT
                        ProtocolCbor.decodeFromByteArray(task.resultSerializer, Messages.resultBody(result)) shouldBe
                            14L
                    }
                }
                Files.exists(marker) shouldBe false
            } finally {
                withContext(Dispatchers.IO) { peer.stop() }
            }
        }

        test(
            "RUN frames naming functions of the platform or of the library are refused, and the worker keeps serving"
        ) {
            val peer = startWorker()
            try {
                withTimeout(60_000) {
                    withContext(Dispatchers.IO) {
                        // Played by hand, so the caller's check at submit is bypassed: the worker is the boundary.
                        val noArgs = TaskCodec.encodeFunction(::noArguments, emptyList()).body
                        val oneInt = TaskCodec.encodeFunction(::plainSquare, listOf(0)).body
                        val crafted =
                            listOf(
                                // The example: it would end the worker.
                                RunHeader(
                                    RunHeader.KIND_FUNCTION,
                                    "kotlin.system.ProcessKt",
                                    "exitProcess",
                                    "(I)Ljava/lang/Void;",
                                ) to oneInt,
                                // A public stdlib function the worker would otherwise load and run (it reads stdin).
                                RunHeader(
                                    RunHeader.KIND_FUNCTION,
                                    "kotlin.io.ConsoleKt",
                                    "readln",
                                    "()Ljava/lang/String;",
                                ) to noArgs,
                                RunHeader(RunHeader.KIND_FUNCTION, "java.lang.Runtime", "exit", "(I)V") to oneInt,
                                RunHeader(RunHeader.KIND_MAP_CHUNK, "kotlinx.coroutines.DelayKt", "delay", "(J)V") to
                                    ByteArray(0),
                                // The library's own worker entry point.
                                RunHeader(
                                    RunHeader.KIND_FUNCTION,
                                    "io.asynccpu.internal.worker.WorkerMain",
                                    "main",
                                    "([Ljava/lang/String;)V",
                                ) to ByteArray(0),
                                RunHeader(
                                    RunHeader.KIND_FUNCTION,
                                    "[Lkotlin.system.ProcessKt;",
                                    "exitProcess",
                                    "(I)Ljava/lang/Void;",
                                ) to oneInt,
                            )
                        crafted.forEachIndexed { i, (header, body) -> peer.send(Messages.run(i + 1L, header, body)) }
                        for ((i, pair) in crafted.withIndex()) {
                            val answer = peer.next()
                            answer.id shouldBe i + 1L
                            answer.type shouldBe Protocol.TYPE_FAILURE
                            val failure = Messages.parseFailure(answer)
                            failure.kind shouldBe RemoteFailure.KIND_LOADING
                            failure.message shouldContain "refused"
                            // The caller sees what it sees for a class the worker cannot load.
                            val seen =
                                RemoteFailures.rebuild(
                                    failure,
                                    "function ${pair.first.functionName}",
                                    1 shl 20,
                                    WorkerChannelSecurityTest::class.java.classLoader,
                                )
                            seen.shouldBeInstanceOf<TaskLoadingException>()
                        }
                        Messages.parseFailure(
                                peer.run {
                                    send(Messages.run(99, crafted[0].first, oneInt))
                                    next()
                                }
                            )
                            .message shouldContain
                            "declare a top-level function (or an object member) in your own package"
                        // Still the same, healthy worker: it runs the application's function and a task.
                        val call = TaskCodec.encodeFunction(::plainSquare, listOf(12))
                        peer.send(Messages.run(100, call.header, call.body))
                        val squared = peer.next()
                        squared.type shouldBe Protocol.TYPE_RESULT
                        ProtocolCbor.decodeFromByteArray(call.resultSerializer, Messages.resultBody(squared)) shouldBe
                            144
                        val task = TaskCodec.encodeTask(SumOfSquares(4))
                        peer.send(Messages.run(101, task.header, task.body))
                        ProtocolCbor.decodeFromByteArray(
                            task.resultSerializer,
                            Messages.resultBody(peer.next()),
                        ) shouldBe 14L
                        peer.process.isAlive shouldBe true
                    }
                }
            } finally {
                withContext(Dispatchers.IO) { peer.stop() }
            }
        }

        test("the channel is private: the worker holds no socket, and its FIFO lives in a 0700 directory") {
            val peer = startWorker()
            try {
                val pid = peer.process.pid()
                val links =
                    withContext(Dispatchers.IO) {
                        File("/proc/$pid/fd").listFiles()!!.mapNotNull {
                            runCatching { Files.readSymbolicLink(it.toPath()).toString() }.getOrNull()
                        }
                    }
                links.filter { it.startsWith("socket:") }.shouldBeEmpty()
                links.any { it.contains("pipe:") } shouldBe true
                // The worker answers on the FIFO inside the pool's private directory.
                links shouldContain peer.fifo.toString()
            } finally {
                withContext(Dispatchers.IO) { peer.stop() }
            }
        }

        test("the worker command line involves no shell and passes user strings as single literal arguments") {
            val peer = startWorker()
            try {
                val pid = peer.process.pid()
                val argv =
                    withContext(Dispatchers.IO) {
                        Files.readAllBytes(Path.of("/proc/$pid/cmdline"))
                            .toString(Charsets.UTF_8)
                            .trimEnd('\u0000')
                            .split('\u0000')
                    }
                File(argv.first()).name shouldBe "java"
                argv.none { it == "-c" || File(it).name in setOf("sh", "bash", "dash") } shouldBe true
                argv shouldContain "-Dasynccpu.test.shellBait=$shellBait"
                argv.last() shouldBe "1"
                argv.joinToString(" ") shouldContain WorkerLauncher.WORKER_MAIN
                Files.exists(pwned) shouldBe false
            } finally {
                withContext(Dispatchers.IO) { peer.stop() }
            }
        }
    })
