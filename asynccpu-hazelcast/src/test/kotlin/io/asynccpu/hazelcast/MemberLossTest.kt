package io.asynccpu.hazelcast

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.File
import java.nio.file.Files
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.withTimeout

class MemberLossTest :
    FunSpec({
        val cluster = TestCluster(2)
        afterSpec { cluster.close() }

        test(
            "SIGKILL of a member fails exactly its tasks with MemberLostException; the cluster keeps serving and a restarted member takes work"
        ) {
            val dir = Files.createTempDirectory("member-loss").toFile()
            cluster.pool().use { pool ->
                val tasks = (0 until 4).map { pool.submit(MarkedTask(it, dir.path, 8_000)) }
                eventually { (0 until 4).all { File(dir, "$it.started").exists() } }
                val memberOf = (0 until 4).associateWith { File(dir, "$it.started").readText().toLong() }
                val victim = cluster.members[0]
                memberOf.values.toSet() shouldBe cluster.members.map { it.pid }.toSet()
                victim.kill()
                for ((i, task) in tasks.withIndex()) {
                    if (memberOf[i] == victim.pid) {
                        val e = shouldThrow<MemberLostException> { withTimeout(10_000) { task.await() } }
                        e.member shouldBe "127.0.0.1:${victim.port}"
                        e.message shouldContain "MarkedTask"
                    } else {
                        withTimeout(60_000) { task.await() } shouldBe i
                    }
                }
                withTimeout(30_000) { pool.submit(WhereTask(1)).await() } shouldContain ":${cluster.members[1].pid}:"
                val restarted = cluster.restart(0)
                eventually(60_000) {
                    kotlinx.coroutines
                        .runBlocking { (0 until 8).map { pool.submit(WhereTask(it)) }.awaitAll() }
                        .any { it.split(':')[1].toLong() == restarted.pid }
                }
            }
        }

        test("with retriesOnMemberLoss a task whose member dies runs again on another member") {
            val dir = Files.createTempDirectory("member-retry").toFile()
            cluster
                .pool { retriesOnMemberLoss = 1 }
                .use { pool ->
                    val tasks = (0 until 4).map { pool.submit(MarkedTask(it, dir.path, 3_000)) }
                    eventually { (0 until 4).all { File(dir, "$it.started").exists() } }
                    cluster.members[0].kill()
                    withTimeout(60_000) { tasks.awaitAll() } shouldBe listOf(0, 1, 2, 3)
                }
        }

        test("no member or worker process is left after the members are stopped") {
            cluster.close()
            eventually(30_000) { liveDescendants().isEmpty() }
            liveDescendants().map { it.pid() } shouldBe emptyList()
        }
    })
