package io.asynccpu.it

import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths
import java.nio.file.StandardCopyOption
import java.util.concurrent.TimeUnit

/** Paths and helpers shared by the integration tests; the pom passes the paths as system properties. */
object ItSupport {
    val root: Path = Paths.get(System.getProperty("asynccpu.it.root"))
    val target: Path = Paths.get(System.getProperty("asynccpu.it.target"))
    val version: String = System.getProperty("asynccpu.it.version")
    val finalName: String = System.getProperty("asynccpu.it.finalName")
    val appMain: String = System.getProperty("asynccpu.it.main")
    val java: String = Paths.get(System.getProperty("java.home"), "bin", "java").toString()

    /** What a finished process printed, and how it ended. */
    class Run(val exitCode: Int, val output: String)

    /** Runs [command] in [dir] to completion (at most [timeoutMinutes]), stdout and stderr together. */
    fun run(
        command: List<String>,
        dir: Path = target,
        timeoutMinutes: Long = 5,
        env: Map<String, String> = emptyMap(),
    ): Run {
        val log = Files.createTempFile(target, "run-", ".log")
        val builder =
            ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
        builder.environment().putAll(env)
        val process = builder.start()
        if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
            process.descendants().forEach { it.destroyForcibly() }
            process.destroyForcibly()
            error("timed out after $timeoutMinutes min: $command\n" + Files.readString(log))
        }
        return Run(process.exitValue(), Files.readString(log))
    }

    /**
     * A Maven repository in target/ holding the freshly built parent POM, BOM and library jars, laid out as `mvn
     * install` would; third-party artifacts are read from the outer build's repository (`maven.repo.local.tail`), and
     * whatever is missing there is downloaded into this one.
     */
    val itRepository: Path by lazy {
        val repo = target.resolve("it-repo")
        fun install(artifactId: String, pom: Path, jar: Path?) {
            val dir = repo.resolve("io/asynccpu/$artifactId/$version")
            Files.createDirectories(dir)
            Files.copy(pom, dir.resolve("$artifactId-$version.pom"), StandardCopyOption.REPLACE_EXISTING)
            if (jar != null)
                Files.copy(jar, dir.resolve("$artifactId-$version.jar"), StandardCopyOption.REPLACE_EXISTING)
        }
        install("asynccpu-parent", root.resolve("pom.xml"), null)
        install("asynccpu-bom", root.resolve("asynccpu-bom/pom.xml"), null)
        for (module in listOf("asynccpu-core", "asynccpu-logging")) {
            val jar = root.resolve("$module/target/$module-$version.jar")
            check(Files.isRegularFile(jar)) { "$jar is missing: build with -am so the library modules are packaged" }
            install(module, root.resolve("$module/pom.xml"), jar)
        }
        repo
    }

    /** Builds the Maven project in [project] with the project's own wrapper, against [itRepository]. */
    fun maven(project: Path, vararg goals: String): Run {
        val outer = System.getProperty("asynccpu.it.outerRepository")
        val command =
            listOf(
                root.resolve("mvnw").toString(),
                "-B",
                "-ntp",
                "-Dmaven.repo.local=$itRepository",
                "-Dmaven.repo.local.tail=$outer",
                "-Dasynccpu.version=$version",
            ) + goals
        return run(command, project, timeoutMinutes = 15, env = mapOf("MAVEN_ARGS" to ""))
    }

    /** Copies the consumer project [name] from src/test/consumers into target/consumers. */
    fun consumerProject(name: String): Path {
        val source = target.resolveSibling("src/test/consumers/$name")
        val copy = target.resolve("consumers/$name")
        source.toFile().copyRecursively(copy.toFile(), overwrite = true)
        return copy
    }

    fun classpathOf(vararg entries: Path): String = entries.joinToString(File.pathSeparator)
}
