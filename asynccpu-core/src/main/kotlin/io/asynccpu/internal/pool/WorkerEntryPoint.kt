package io.asynccpu.internal.pool

import io.asynccpu.ProcessPoolBuilder
import io.asynccpu.ProcessPoolConfig
import java.io.File
import java.net.URLClassLoader
import java.util.jar.JarFile

/**
 * How a worker JVM is launched: its class path, its main class and the options the launch needs.
 *
 * Decided once per pool, from the configuration first and then from how the caller itself runs:
 * 1. `classpath` set: that class path, with `workerMainClass` (default [WorkerLauncher.WORKER_MAIN]).
 * 2. The library is on the module path (`java -p ... -m app/...`): every module path entry goes on the worker's class
 *    path (a folder of jars contributes its jars), so tasks load with no module rules.
 * 3. The library was loaded by the system class loader (plain class path, a shaded jar with `java -jar`, Surefire's
 *    manifest-only jar): the caller's `java.class.path`.
 * 4. A Spring Boot executable jar (`java -jar app.jar`, nested jars in `BOOT-INF/lib`): the same jar, started through
 *    Spring Boot's `PropertiesLauncher` with `-Dloader.main=<worker main class>`.
 * 5. A [URLClassLoader] (an application server, `exec:java`): its URLs and its parents'.
 *
 * Anything else (a jlink image, a module layer, an unknown launcher) fails with a [WorkerLaunchException] naming the
 * settings that fix it.
 */
internal class WorkerEntryPoint(
    val classpath: String,
    val mainClass: String,
    val options: List<String>,
    val description: String,
) {
    override fun toString(): String = "$description: $mainClass with class path $classpath"

    companion object {
        private const val BOOT_LOADER_PACKAGE = "org.springframework.boot.loader."

        fun of(config: ProcessPoolConfig): WorkerEntryPoint {
            val main = config.workerMainClass ?: WorkerLauncher.WORKER_MAIN
            config.classpath?.let {
                return WorkerEntryPoint(it, main, emptyList(), "configured class path")
            }
            val anchor = WorkerEntryPoint::class.java
            val javaClassPath = System.getProperty("java.class.path").orEmpty()
            if (anchor.module.isNamed) {
                val modulePath = System.getProperty("jdk.module.path").orEmpty()
                if (modulePath.isBlank()) throw unsupported("module ${anchor.module.name} is not on the module path")
                val entries = expandModulePath(modulePath) + split(javaClassPath)
                return WorkerEntryPoint(
                    entries.joinToString(File.pathSeparator),
                    main,
                    emptyList(),
                    "module path, as a class path",
                )
            }
            if (anchor.classLoader === ClassLoader.getSystemClassLoader() && javaClassPath.isNotBlank()) {
                return WorkerEntryPoint(javaClassPath, main, emptyList(), "caller's class path")
            }
            springBoot(javaClassPath, main)?.let {
                return it
            }
            urlClassPath(anchor.classLoader)?.let {
                return WorkerEntryPoint(it, main, emptyList(), "class loader's URLs")
            }
            throw unsupported(
                "it was loaded by ${anchor.classLoader} from ${anchor.protectionDomain?.codeSource?.location}"
            )
        }

        /**
         * A Spring Boot executable jar: the jar itself, started through `PropertiesLauncher`; null if it is not one.
         */
        internal fun springBoot(javaClassPath: String, main: String): WorkerEntryPoint? {
            val jar = split(javaClassPath).singleOrNull()?.let(::File)?.takeIf { it.isFile } ?: return null
            return runCatching {
                    JarFile(jar).use { file ->
                        val launcher = file.manifest?.mainAttributes?.getValue("Main-Class") ?: return null
                        if (!launcher.startsWith(BOOT_LOADER_PACKAGE)) return null
                        val properties = launcher.substringBeforeLast('.') + ".PropertiesLauncher"
                        file.getEntry(properties.replace('.', '/') + ".class") ?: return null
                        WorkerEntryPoint(
                            jar.path,
                            properties,
                            listOf("-Dloader.main=$main"),
                            "Spring Boot executable jar",
                        )
                    }
                }
                .getOrNull()
        }

        /** Module path entries as class path entries: a folder that is not an exploded module gives its jars. */
        internal fun expandModulePath(modulePath: String): List<String> =
            split(modulePath).flatMap { entry ->
                val file = File(entry)
                if (file.isDirectory && !File(file, "module-info.class").isFile) {
                    file.listFiles { f -> f.name.endsWith(".jar") }.orEmpty().map { it.path }.sorted()
                } else {
                    listOf(entry)
                }
            }

        private fun urlClassPath(loader: ClassLoader?): String? {
            val files =
                generateSequence(loader) { it.parent }
                    .filterIsInstance<URLClassLoader>()
                    .flatMap { it.urLs.asSequence() }
                    .filter { it.protocol == "file" }
                    .map { File(it.toURI()).path }
                    .toList()
            return files.takeIf { it.isNotEmpty() }?.distinct()?.joinToString(File.pathSeparator)
        }

        private fun split(path: String): List<String> = path.split(File.pathSeparator).filter { it.isNotBlank() }

        private fun unsupported(why: String) =
            io.asynccpu.WorkerLaunchException(
                "asynccpu cannot tell how to start worker JVMs here: the library is not on a class path a child JVM can " +
                    "use ($why). Set the pool's `classpath` to the jars holding asynccpu-core, its dependencies and your " +
                    "task classes, and `workerMainClass` if workers must start through a launcher that then calls " +
                    "${ProcessPoolBuilder.WORKER_MAIN_CLASS}."
            )
    }
}
