package io.asynccpu.logging

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Files
import org.jetbrains.kotlin.cli.common.ExitCode
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler

/**
 * Compiles snippets of user code against the real API and checks the traps are compile errors with a message that says
 * what to do (lambdas where a task is expected, outer builder settings inside a nested builder), and that the
 * function-reference forms compile with no import but the pool's. Lives in asynccpu-logging because it needs both
 * modules' API on the class path (`forwardLogs { }`).
 */
class CompileTimeTrapsTest :
    FunSpec({
        fun compile(body: String): Pair<ExitCode, String> {
            val dir = Files.createTempDirectory("asynccpu-snippet")
            val source = dir.resolve("Snippet.kt")
            Files.writeString(
                source,
                """
            package snippet
            import io.asynccpu.ProcessPool
            import io.asynccpu.logging.forwardLogs
            fun triple(x: Int): Int = x * 3
            suspend fun use(pool: ProcessPool) {
            $body
            }
            """
                    .trimIndent(),
            )
            val output = ByteArrayOutputStream()
            val code =
                K2JVMCompiler()
                    .exec(
                        PrintStream(output, true),
                        "-no-stdlib",
                        "-no-reflect",
                        "-classpath",
                        System.getProperty("java.class.path"),
                        "-d",
                        dir.resolve("out").toString(),
                        source.toString(),
                    )
            return code to output.toString()
        }

        val lambdaMessage = "A lambda cannot travel to a worker process"

        test("pool.run with a lambda does not compile, with the message of submit") {
            val (code, out) = compile("pool.run { 42 }")
            code shouldBe ExitCode.COMPILATION_ERROR
            out shouldContain lambdaMessage
        }

        test("pool.submit and pool.async with a lambda do not compile") {
            compile("pool.submit { 42 }").second shouldContain lambdaMessage
            compile("pool.async { 42 }").second shouldContain lambdaMessage
            compile("pool.submit({ x: Int -> x }, 1)").second shouldContain lambdaMessage
        }

        test("an outer pool setting inside forwardLogs { } does not compile (DslMarker)") {
            val (code, out) = compile("ProcessPool { forwardLogs { maxWorkers = 3 } }")
            code shouldBe ExitCode.COMPILATION_ERROR
            out shouldContain "maxWorkers"
        }

        test("function references compile with no import but the pool's") {
            val (code, out) =
                compile("pool.submit(::triple, 2).await(); pool.run(::triple, 1); pool.async(::triple, 3).await()")
            (code to out) shouldBe (ExitCode.OK to out)
        }
    })
