package io.asynccpu.internal.worker

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

class ReaderRelayTest :
    FunSpec({
        test(
            "a short lone task leaves the reading with its thread; a long one has it taken over, one reader at a time"
        ) {
            val readers = AtomicInteger()
            val overlap = AtomicInteger()
            val read = Collections.synchronizedList(ArrayList<Int>())
            val readBy = Collections.synchronizedSet(HashSet<String>())
            val next = AtomicInteger()
            val longTaskRunning = CountDownLatch(1)
            val readWhileLongTaskRan = CountDownLatch(1)
            val done = CountDownLatch(1)
            val relay =
                ReaderRelay("relay-test-standby") { relay ->
                    while (true) {
                        if (readers.incrementAndGet() > 1) overlap.incrementAndGet()
                        val n = next.getAndIncrement()
                        readers.decrementAndGet()
                        if (n >= 1_000) {
                            done.countDown()
                            Thread.sleep(Long.MAX_VALUE)
                        }
                        read += n
                        readBy += Thread.currentThread().name
                        if (longTaskRunning.count == 0L) readWhileLongTaskRan.countDown()
                        if (n % 10 != 0) continue
                        // A lone task: short ones return at once; the one at 500 waits until the other thread read.
                        relay.pause()
                        if (n == 500) {
                            longTaskRunning.countDown()
                            readWhileLongTaskRan.await(30, TimeUnit.SECONDS) shouldBe true
                        }
                        if (!relay.resume()) return@ReaderRelay
                    }
                }
            Thread({ relay.serve() }, "relay-test-main").apply { isDaemon = true }.start()
            done.await(30, TimeUnit.SECONDS) shouldBe true
            overlap.get() shouldBe 0
            read shouldContainExactly (0 until 1_000).toList()
            readBy shouldBe setOf("relay-test-main", "relay-test-standby")
        }
    })
