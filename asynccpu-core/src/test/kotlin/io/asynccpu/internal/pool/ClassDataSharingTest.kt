package io.asynccpu.internal.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.FileTime

class ClassDataSharingTest : FunSpec({
    val javaHome = System.getProperty("java.home")

    /** A cache folder and a class path of one jar, so that sharing is on (directories turn it off). */
    fun setUp(): Pair<Path, String> {
        val root = Files.createTempDirectory("cds-test")
        val jar = Files.write(root.resolve("app.jar"), byteArrayOf(1, 2, 3))
        val cache = Files.createDirectory(root.resolve("cache"))
        return cache to jar.toString()
    }

    fun option(plan: ClassDataSharing.Plan, name: String): String? =
        plan.options.firstOrNull { it.startsWith("-XX:$name=") }?.substringAfter('=')

    test("the first worker creates the archive; workers starting meanwhile run without; later ones map it") {
        val (cache, classpath) = setUp()
        val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
        val creator = sharing.plan()
        val temporary = option(creator, "ArchiveClassesAtExit")!!
        sharing.plan().options.shouldBeEmpty() // the creator holds the lock
        Files.write(Path.of(temporary), ByteArray(100)) // what the JVM writes at exit
        creator.onExit(0, emptyList())
        Files.exists(Path.of(temporary)) shouldBe false
        val archive = option(sharing.plan(), "SharedArchiveFile")!!
        Files.size(Path.of(archive)) shouldBe 100
        Files.list(cache).use { files -> files.map { it.fileName.toString() }.toList() } shouldBe listOf(Path.of(archive).fileName.toString())
    }

    test("a creator that failed or was killed leaves no archive, and the next worker tries again") {
        val (cache, classpath) = setUp()
        val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
        val creator = sharing.plan()
        Files.write(Path.of(option(creator, "ArchiveClassesAtExit")!!), ByteArray(100))
        creator.onExit(137, emptyList())
        Files.list(cache).use { it.toList() }.shouldBeEmpty()
        (option(sharing.plan(), "ArchiveClassesAtExit") != null) shouldBe true // the lock was released
    }

    test("sharing is off for a class path with a directory and for jvmArgs that set class-data sharing themselves") {
        val (cache, classpath) = setUp()
        val withDirectory = classpath + java.io.File.pathSeparator + cache
        ClassDataSharing(javaHome, withDirectory, emptyList()) { cache }.plan().options.shouldBeEmpty()
        ClassDataSharing(javaHome, classpath, listOf("-Xshare:off")) { cache }.plan().options.shouldBeEmpty()
    }

    test("pruning keeps the most recently used archives and drops stale temporary files") {
        val (cache, _) = setUp()
        val now = System.currentTimeMillis()
        val archives = (0 until 12).map { i ->
            Files.write(cache.resolve("worker-jdk17-$i.jsa"), ByteArray(1)).also {
                Files.setLastModifiedTime(it, FileTime.fromMillis(now - i * 60_000L)) // archive 0 is the newest
            }
        }
        val stale = Files.write(cache.resolve("worker-jdk17-x.jsa.1-2.tmp"), ByteArray(1))
        Files.setLastModifiedTime(stale, FileTime.fromMillis(now - 3_600_000L))
        val fresh = Files.write(cache.resolve("worker-jdk17-y.jsa.3-4.tmp"), ByteArray(1)) // a creator still running
        val other = Files.write(cache.resolve("notes.txt"), ByteArray(1))
        ClassDataSharing.prune(cache, ClassDataSharing.MAX_ARCHIVES)
        Files.list(cache).use { it.toList() } shouldContainExactlyInAnyOrder archives.take(ClassDataSharing.MAX_ARCHIVES) + listOf(fresh, other)
    }

    test("using an archive marks it as recently used, so pruning keeps it") {
        val (cache, classpath) = setUp()
        val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
        val creator = sharing.plan()
        Files.write(Path.of(option(creator, "ArchiveClassesAtExit")!!), ByteArray(1))
        creator.onExit(0, emptyList())
        val ours = Path.of(option(sharing.plan(), "SharedArchiveFile")!!)
        Files.setLastModifiedTime(ours, FileTime.fromMillis(0))
        sharing.plan() // a worker maps it
        (0 until ClassDataSharing.MAX_ARCHIVES).forEach { Files.write(cache.resolve("worker-jdk17-old$it.jsa"), ByteArray(1)) }
        (0 until ClassDataSharing.MAX_ARCHIVES).forEach {
            Files.setLastModifiedTime(cache.resolve("worker-jdk17-old$it.jsa"), FileTime.fromMillis(System.currentTimeMillis() - 60_000))
        }
        ClassDataSharing.prune(cache, ClassDataSharing.MAX_ARCHIVES)
        Files.exists(ours) shouldBe true
    }

    test("on JDK 25 a worker records, and the cache is assembled with the worker's options but a plain class path") {
        val jdk25 = java.io.File("/usr/lib/jvm").listFiles()?.firstOrNull { java.io.File(it, "release").readTextOrNull()?.contains("JAVA_VERSION=\"25") == true }
        if (jdk25 != null) {
            val (cache, classpath) = setUp()
            val plan = ClassDataSharing(jdk25.path, classpath, emptyList()) { cache }.plan()
            plan.options.first() shouldBe "-XX:AOTMode=record"
            (option(plan, "AOTConfiguration") != null) shouldBe true
            plan.options.none { it.startsWith("-Xshare") } shouldBe true // cannot be combined with an AOT cache
        }
        ClassDataSharing.workerOptions(
            listOf(
                "setsid", "/jdk/bin/java", "-Xmx100m", "-XX:AOTMode=record", "-XX:AOTConfiguration=/x", "-Xlog:aot=off", "@/tmp/args",
                "-cp", "a.jar", "-Dk=v", "some.Main", "-Dnot=an-option", "fifo",
            ),
            "/jdk/bin/java",
        ) shouldBe listOf("-Xmx100m", "-Dk=v")
    }

    test("a pool's own AOT cache options turn ours off") {
        val (cache, classpath) = setUp()
        ClassDataSharing(javaHome, classpath, listOf("-XX:AOTCache=/x.aot")) { cache }.plan().options.shouldBeEmpty()
    }
})

private fun java.io.File.readTextOrNull(): String? = if (isFile) readText() else null
