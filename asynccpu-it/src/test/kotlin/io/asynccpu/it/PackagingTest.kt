package io.asynccpu.it

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.util.jar.JarFile

/**
 * Workers start wherever the application runs: the same application (src/main), packaged three ways by real plugins in
 * this module's build, starts a pool, checks a worker, and runs a task whose class is in the application's jar.
 */
class PackagingTest :
    FunSpec({
        val target = ItSupport.target

        test("a Spring Boot executable jar started with java -jar runs tasks (workers use PropertiesLauncher)") {
            val jar = target.resolve("${ItSupport.finalName}-boot.jar")
            JarFile(jar.toFile()).use { file ->
                file.manifest.mainAttributes.getValue("Main-Class") shouldContain "org.springframework.boot.loader"
                (file.entries().asSequence().any { it.name.startsWith("BOOT-INF/lib/asynccpu-core") }) shouldBe true
            }
            val run = ItSupport.run(listOf(ItSupport.java, "-jar", jar.toString()))
            run.output shouldContain "PACKAGED-OK 144"
            run.exitCode shouldBe 0
        }

        test("a shaded jar started with java -jar runs tasks") {
            val jar = target.resolve("${ItSupport.finalName}-shaded.jar")
            val run = ItSupport.run(listOf(ItSupport.java, "-jar", jar.toString()))
            run.output shouldContain "PACKAGED-OK 144"
            run.exitCode shouldBe 0
        }

        test(
            "an application on the module path (java -p ... -m) runs tasks; workers get the module path as a class path"
        ) {
            val modules = target.resolve("modules")
            Files.isDirectory(modules) shouldBe true
            val app = target.resolve("${ItSupport.finalName}.jar")
            val run =
                ItSupport.run(
                    listOf(
                        ItSupport.java,
                        "-p",
                        ItSupport.classpathOf(modules, app),
                        "--add-modules",
                        "ALL-MODULE-PATH",
                        "-m",
                        "io.asynccpu.it/${ItSupport.appMain}",
                    )
                )
            run.output shouldContain "PACKAGED-OK 144"
            run.exitCode shouldBe 0
        }
    })
