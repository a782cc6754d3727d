package io.asynccpu.hazelcast

import io.asynccpu.TaskEncodingException
import io.asynccpu.WorkerCrashedException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlin.time.Duration.Companion.seconds
import kotlinx.coroutines.withTimeout

class FailureTest :
    FunSpec({
        val cluster = TestCluster(1)
        afterSpec { cluster.close() }

        test("a task that throws on a member arrives with its original type") {
            cluster.pool().use { pool ->
                shouldThrow<ArithmeticException> { withTimeout(30_000) { pool.run(DivideTask(0)) } }
                withTimeout(30_000) { pool.run(DivideTask(2)) } shouldBe 5
            }
        }

        test("a worker crash on a member arrives as WorkerCrashedException naming the member") {
            cluster.pool().use { pool ->
                val e = shouldThrow<WorkerCrashedException> { withTimeout(30_000) { pool.run(HaltTask()) } }
                e.exitCode shouldBe 7
                e.message shouldContain "127.0.0.1:${cluster.ports[0]}"
                withTimeout(30_000) { pool.run(DivideTask(1)) } shouldBe 10
            }
        }

        test("a task that cannot be encoded fails at submit") {
            cluster.pool().use { pool -> shouldThrow<TaskEncodingException> { pool.submit(UnencodableTask(Any())) } }
        }

        test("a pool pointed at no cluster fails with ClusterUnavailableException within the connect timeout") {
            val e =
                shouldThrow<ClusterUnavailableException> {
                    withTimeout(60_000) {
                        ClusterPool {
                            clusterName = "nobody"
                            members += "127.0.0.1:${TestCluster.freePort()}"
                            connectTimeout = 3.seconds
                        }
                    }
                }
            e.message shouldContain "nobody"
        }

        test("a missing cluster name is refused with a message saying what to set") {
            val e = shouldThrow<IllegalArgumentException> { ClusterPool { members += "127.0.0.1:5701" } }
            e.message shouldContain "clusterName"
        }
    })
