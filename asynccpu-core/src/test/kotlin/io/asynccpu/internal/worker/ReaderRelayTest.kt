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
            "one thread reads at a time, in order, and the reading goes on while the thread that handed it off works"
        ) {
            val readers = AtomicInteger()
            val overlap = AtomicInteger()
            val read = Collections.synchronizedList(ArrayList<Int>())
            val next = AtomicInteger()
            val taskRunning = CountDownLatch(1)
            val readWhileTaskRan = CountDownLatch(1)
            val done = CountDownLatch(1)
            val relay =
                ReaderRelay("relay-test-standby") { relay ->
                    if (readers.incrementAndGet() > 1) overlap.incrementAndGet()
                    try {
                        while (true) {
                            val n = next.getAndIncrement()
                            if (n >= 1_000) {
                                done.countDown()
                                Thread.sleep(Long.MAX_VALUE)
                            }
                            read += n
                            if (taskRunning.count == 0L) readWhileTaskRan.countDown()
                            if (n % 10 == 0) break // a "lone RUN": hand off, then run it on this thread
                        }
                    } finally {
                        readers.decrementAndGet()
                    }
                    relay.handOff()
                    if (taskRunning.count == 1L) {
                        taskRunning.countDown()
                        // The first "task" ends only once the other thread has read something meanwhile.
                        readWhileTaskRan.await(30, TimeUnit.SECONDS) shouldBe true
                    }
                }
            val main = Thread({ relay.serve() }, "relay-test-main").apply { isDaemon = true }
            main.start()
            done.await(30, TimeUnit.SECONDS) shouldBe true
            overlap.get() shouldBe 0
            read shouldContainExactly (0 until 1_000).toList()
        }
    })
