package io.asynccpu.internal.protocol

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.io.ByteArrayInputStream
import java.io.IOException
import java.io.OutputStream
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class FrameWriterTest :
    FunSpec({
        /** Records what reaches the pipe: the bytes, how many `write` calls, and which threads made them. */
        class RecordingStream : OutputStream() {
            val bytes = java.io.ByteArrayOutputStream()
            val writes = AtomicInteger()
            val threads: MutableSet<String> = java.util.concurrent.ConcurrentHashMap.newKeySet()

            override fun write(b: Int) = write(byteArrayOf(b.toByte()), 0, 1)

            @Synchronized
            override fun write(b: ByteArray, off: Int, len: Int) {
                writes.incrementAndGet()
                threads += Thread.currentThread().name
                bytes.write(b, off, len)
            }

            @Synchronized
            fun frames(): List<Frame> {
                val reader = FrameReader(ByteArrayInputStream(bytes.toByteArray()), 1 shl 20)
                return generateSequence { reader.readFrame() }.toList()
            }
        }

        fun cancel(id: Long) = Messages.control(Protocol.TYPE_CANCEL, id)

        test("sendNow writes what was queued before it, then its frame, on the caller's thread, before it returns") {
            val sink = RecordingStream()
            val writer = FrameWriter("test-writer", open = { sink }, onFailure = { throw AssertionError(it) })
            writer.flush(10_000) shouldBe true // the stream is open
            val opened = sink.writes.get()
            var afterReturn: List<Long> = emptyList()
            val slot =
                Thread(
                    {
                        writer.send(cancel(1))
                        writer.send(cancel(2))
                        writer.sendNow(Messages.result(3, 0, byteArrayOf(7)))
                        afterReturn = sink.frames().map { it.id }
                    },
                    "slot-thread",
                )
            slot.start()
            slot.join()
            // When it returned, all three were in the stream already, whoever wrote the first two.
            afterReturn shouldContainExactly listOf(1L, 2L, 3L)
            sink.writes.get() shouldNotBe opened
            ("slot-thread" in sink.threads) shouldBe true
            writer.close()
        }

        test("sendNow before the stream is open waits for the writer thread to write it") {
            val release = CountDownLatch(1)
            val sink = RecordingStream()
            val writer =
                FrameWriter(
                    "test-writer",
                    open = {
                        release.await()
                        sink
                    },
                    onFailure = { throw AssertionError(it) },
                )
            val done = CountDownLatch(1)
            Thread {
                    writer.sendNow(cancel(5))
                    done.countDown()
                }
                .start()
            done.await(200, TimeUnit.MILLISECONDS) shouldBe false // blocked: nothing can be written yet
            release.countDown()
            done.await(10, TimeUnit.SECONDS) shouldBe true
            sink.frames().map { it.id } shouldContainExactly listOf(5L)
            sink.threads shouldContainExactly setOf("test-writer")
            writer.close()
        }

        test("frames queued while the writer is busy go out together in one write") {
            val release = CountDownLatch(1)
            val sink = RecordingStream()
            val writer =
                FrameWriter(
                    "test-writer",
                    open = {
                        release.await()
                        sink
                    },
                    onFailure = { throw AssertionError(it) },
                )
            repeat(100) { writer.send(cancel(it.toLong())) }
            release.countDown()
            writer.flush(10_000) shouldBe true
            sink.writes.get() shouldBe 1
            sink.frames().map { it.id } shouldContainExactly (0L until 100L).toList()
            writer.close()
        }

        test("send and sendNow from many threads keep each thread's frames in its order") {
            val sink = RecordingStream()
            val writer = FrameWriter("test-writer", open = { sink }, onFailure = { throw AssertionError(it) })
            val threads =
                (0 until 4).map { t ->
                    Thread {
                            repeat(500) { i ->
                                val id = t * 1_000L + i
                                if (i % 3 == 0) writer.sendNow(cancel(id)) else writer.send(cancel(id))
                            }
                        }
                        .apply { start() }
                }
            threads.forEach { it.join() }
            writer.flush(10_000) shouldBe true
            val ids = sink.frames().map { it.id }
            ids.size shouldBe 2_000
            for (t in 0 until 4) ids.filter { it / 1_000 == t.toLong() } shouldContainExactly
                (0 until 500).map { t * 1_000L + it }
            writer.close()
        }

        fun run(id: Long, bodySize: Int = 8) = Messages.run(id, byteArrayOf(0, 0, 0, 0), ByteArray(bodySize))

        fun sendOn(threadName: String, block: () -> Unit) = Thread(block, threadName).apply { start() }.join()

        /**
         * Waits until the writer thread [name] waits for frames (a flush returns while it still holds the write lock).
         */
        fun awaitParked(name: String) {
            val deadline = System.nanoTime() + 10_000_000_000L
            while (System.nanoTime() < deadline) {
                val thread = Thread.getAllStackTraces().keys.firstOrNull { it.name == name }
                if (thread != null && thread.state == Thread.State.WAITING) return
                Thread.sleep(1)
            }
            throw AssertionError("$name did not go idle")
        }

        test("with a direct budget, a RUN sent while the peer has read everything is written on the sender's thread") {
            val sink = RecordingStream()
            val writer =
                FrameWriter(
                    "direct-writer",
                    open = { sink },
                    onFailure = { throw AssertionError(it) },
                    directBudget = 4096,
                )
            writer.flush(10_000) shouldBe true // open, nothing written: the pipe is empty
            awaitParked("direct-writer")
            sendOn("caller-1") { writer.send(run(1)) } // empty pipe: written at once, by the caller
            sendOn("caller-2") { writer.send(run(2)) } // RUN 1 not answered: it may still be in the pipe
            writer.flush(10_000) shouldBe true
            writer.acknowledge(1) // not the last RUN written: proves nothing about RUN 2
            sendOn("caller-3") { writer.send(run(3)) }
            writer.flush(10_000) shouldBe true
            writer.acknowledge(3) // the last RUN: the peer read everything
            awaitParked("direct-writer")
            sendOn("caller-4") { writer.send(run(4)) }
            sendOn("caller-5") { writer.send(cancel(4)) } // RUN 4 is unanswered again
            sink.threads shouldBe setOf("caller-1", "direct-writer", "caller-4")
            writer.flush(10_000) shouldBe true
            sink.frames().map { it.id } shouldContainExactly listOf(1L, 2L, 3L, 4L, 4L)
            writer.close()
        }

        test(
            "with a direct budget, a frame larger than the budget, or one behind queued frames, goes through the writer thread"
        ) {
            val release = CountDownLatch(1)
            val sink = RecordingStream()
            val writer =
                FrameWriter(
                    "test-writer",
                    open = {
                        release.await()
                        sink
                    },
                    onFailure = { throw AssertionError(it) },
                    directBudget = 4096,
                )
            sendOn("early") { writer.send(run(1)) } // not open yet: queued
            release.countDown()
            writer.flush(10_000) shouldBe true
            writer.acknowledge(1)
            sendOn("large") { writer.send(run(2, bodySize = 8_192)) }
            writer.flush(10_000) shouldBe true
            sink.threads shouldContainExactly setOf("test-writer")
            sink.frames().map { it.id } shouldContainExactly listOf(1L, 2L)
            writer.close()
        }

        test("a failed write is reported once, never on a sendNow caller's thread, and later frames are dropped") {
            val failures = AtomicInteger()
            val reportedOn = CountDownLatch(1)
            var failureThread = ""
            val broken =
                object : OutputStream() {
                    override fun write(b: Int) = throw IOException("broken pipe")

                    override fun write(b: ByteArray, off: Int, len: Int) = throw IOException("broken pipe")
                }
            val writer =
                FrameWriter(
                    "test-writer",
                    open = { broken },
                    onFailure = {
                        failures.incrementAndGet()
                        failureThread = Thread.currentThread().name
                        reportedOn.countDown()
                    },
                )
            writer.flush(10_000) // opened; nothing written yet
            val caller =
                Thread(
                    {
                        writer.sendNow(cancel(1))
                        writer.sendNow(cancel(2))
                        writer.send(cancel(3))
                    },
                    "caller",
                )
            caller.start()
            caller.join()
            reportedOn.await(10, TimeUnit.SECONDS) shouldBe true
            writer.flush(1_000) shouldBe false
            failures.get() shouldBe 1
            (failureThread == "caller") shouldBe false
        }
    })
