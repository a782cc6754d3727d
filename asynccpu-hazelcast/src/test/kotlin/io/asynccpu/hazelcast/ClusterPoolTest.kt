package io.asynccpu.hazelcast

import io.asynccpu.map
import io.asynccpu.submit
import io.asynccpu.userfunctions.square
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withTimeout

class ClusterPoolTest :
    FunSpec({
        val cluster = TestCluster(3)
        afterSpec { cluster.close() }

        test("1,000 tasks spread over all three members come back in submission order through awaitAll") {
            cluster.pool().use { pool ->
                val results = withTimeout(120_000) { (0 until 1000).map { pool.submit(WhereTask(it)) }.awaitAll() }
                results.map { it.substringBefore(':').toInt() } shouldBe (0 until 1000).toList()
                val memberPids = results.map { it.split(':')[1].toLong() }.toSet()
                memberPids shouldBe cluster.members.map { it.pid }.toSet()
                results.map { it.split(':')[2] }.toSet() shouldHaveSize 6 // 2 workers on each member
            }
        }

        test("map over the cluster equals the sequential map, and function references travel") {
            cluster.pool().use { pool ->
                withTimeout(120_000) { pool.map(::square, 1..2000, chunkSize = 50).toList() } shouldBe
                    (1..2000).map(::square)
                withTimeout(60_000) { pool.submit(::square, 12).await() } shouldBe 144
            }
        }
    })
