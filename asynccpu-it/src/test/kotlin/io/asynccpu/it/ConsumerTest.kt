package io.asynccpu.it

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/**
 * Consumers build against the published form of the library (POMs and jars installed into target/it-repo, the BOM
 * imported), with nothing of this build on their class path.
 */
class ConsumerTest :
    FunSpec({
        fun buildAndRun(name: String, mainClass: String): ItSupport.Run {
            val project = ItSupport.consumerProject(name)
            val build =
                ItSupport.maven(
                    project,
                    "-Dkotlin.version=${System.getProperty("asynccpu.it.consumerKotlin")}",
                    "package",
                )
            withClue(build.output) { build.exitCode shouldBe 0 }
            val classpath = Files.readString(project.resolve("target/classpath.txt")).trim()
            return ItSupport.run(
                listOf(
                    ItSupport.java,
                    "-cp",
                    project.resolve("target/classes").toString() + java.io.File.pathSeparator + classpath,
                    mainClass,
                )
            )
        }

        test("a Kotlin 2.1 project compiles against the library and runs a task class and a function reference") {
            val run = buildAndRun("kotlin21", "consumer.ConsumerKt")
            withClue(run.output) { run.exitCode shouldBe 0 }
            run.output shouldContain "KOTLIN21-OK 36 42 2.1" // the last figure: the Kotlin runtime it ran on
        }

        test("a pure-Java project with no Kotlin plugin compiles against the library and runs a JavaTask") {
            val run = buildAndRun("java", "consumer.JavaConsumer")
            withClue(run.output) { run.exitCode shouldBe 0 }
            run.output shouldContain "JAVA-OK 168"
            Files.exists(Path.of(ItSupport.target.toString(), "consumers/java/src/main/kotlin")) shouldBe false
        }
    })

private inline fun <T> withClue(clue: String, block: () -> T): T =
    io.kotest.assertions.withClue(clue.takeLast(6_000), block)
