package io.asynccpu.spi

import io.asynccpu.ProcessPool
import io.asynccpu.SumOfSquares
import io.asynccpu.withTaskId
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class TaskInterceptorTest :
    FunSpec({
        test("the context captured on the caller's thread reaches the worker's interceptor with the task id") {
            ProcessPool {
                    maxWorkers = 1
                    install(ContextEchoExtension())
                }
                .use { pool ->
                    ContextEchoExtension.tenant.set("acme")
                    val (id, result) =
                        try {
                            pool.withTaskId { submit(EchoContextTask()) }
                        } finally {
                            ContextEchoExtension.tenant.remove()
                        }
                    result.await() shouldBe "$id|{tenant=acme}"
                    pool.run(EchoContextTask()).substringAfter('|') shouldBe "{}"
                }
        }

        test("withTaskId gives the id of every submit form and refuses zero or several submissions") {
            ProcessPool {
                    maxWorkers = 1
                    install(ContextEchoExtension())
                }
                .use { pool ->
                    val first = pool.withTaskId { submit(EchoContextTask()) }
                    val second = pool.withTaskId { submitAsync(EchoContextTask()) }
                    second.taskId shouldBe first.taskId + 1
                    second.handle.get().substringBefore('|') shouldBe second.taskId.toString()
                    pool.submitWithProgress(EchoContextTask()).let {
                        it.result.await().substringBefore('|') shouldBe it.taskId.toString()
                    }
                    shouldThrow<IllegalArgumentException> { pool.withTaskId {} }.message shouldContain "exactly one"
                    shouldThrow<IllegalArgumentException> {
                            pool.withTaskId {
                                submit(SumOfSquares(1))
                                submit(SumOfSquares(2))
                            }
                        }
                        .message shouldContain "submitted 2"
                }
        }
    })
