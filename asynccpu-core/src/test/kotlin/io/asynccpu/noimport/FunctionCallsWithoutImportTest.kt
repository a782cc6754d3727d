package io.asynccpu.noimport

// Only the pool type is imported: the function-reference forms are members (issue 11, item 4).
import io.asynccpu.ProcessPool
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope

fun triple(x: Int): Int = x * 3

suspend fun joinWords(a: String, b: String): String = "$a $b"

fun sumOfThree(a: Long, b: Long, c: Long): Long = a + b + c

fun answer(): Int = 42

class FunctionCallsWithoutImportTest :
    FunSpec({
        test("submit, run and async take function references with no import but the pool's") {
            ProcessPool { maxWorkers = 2 }
                .use { pool ->
                    pool.submit(::triple, 2).await() shouldBe 6
                    pool.submit(::answer).await() shouldBe 42
                    pool.run(::joinWords, "hello", "world") shouldBe "hello world"
                    pool.run(::sumOfThree, 1L, 2L, 3L) shouldBe 6L
                    coroutineScope {
                        listOf(pool.async(::triple, 1), pool.async(::triple, 2)).awaitAll() shouldBe listOf(3, 6)
                        pool.async(::joinWords, "a", "b").await() shouldBe "a b"
                    }
                }
        }
    })
