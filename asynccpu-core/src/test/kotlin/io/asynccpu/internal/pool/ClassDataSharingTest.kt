package io.asynccpu.internal.pool

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.FileTime

class ClassDataSharingTest :
    FunSpec({
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

        /** A class path of one real jar (Kotlin's standard library), for a real `-Xshare:dump`. */
        fun realJar(): String =
            java.io.File(KotlinVersion::class.java.protectionDomain.codeSource.location.toURI()).path

        test(
            "the first worker records its classes; workers starting meanwhile run without; later ones map the archive built from the record"
        ) {
            val (cache, _) = setUp()
            val classpath = realJar()
            val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
            val creator = sharing.plan()
            val record = option(creator, "DumpLoadedClassList")!!
            sharing.plan().options.shouldBeEmpty() // the creator holds the lock
            Files.writeString(
                Path.of(record),
                "java/lang/Object\nkotlin/KotlinVersion\n",
            ) // what the JVM lists while it runs
            val java = Path.of(javaHome, "bin", "java").toString()
            creator.onExit(0, listOf(java, "-Xmx64m") + creator.options + listOf("-cp", classpath, "some.Main"))
            val archive = SharingArchives.archivePath(javaHome, classpath, emptyList()) { cache }!!
            val deadline = System.nanoTime() + 120_000_000_000L
            while (Files.exists(SharingArchives.lockOf(archive)) && System.nanoTime() < deadline) Thread.sleep(50)
            option(sharing.plan(), "SharedArchiveFile") shouldBe archive.toString()
            (Files.size(archive) > 0) shouldBe true
            Files.list(cache).use { files -> files.map { it.fileName.toString() }.toList() } shouldBe
                listOf(archive.fileName.toString())
        }

        test("a creator that failed or was killed leaves no archive, and the next worker tries again") {
            val (cache, classpath) = setUp()
            val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
            val creator = sharing.plan()
            Files.write(Path.of(option(creator, "DumpLoadedClassList")!!), ByteArray(100))
            creator.onExit(137, emptyList())
            Files.list(cache).use { it.toList() }.shouldBeEmpty()
            (option(sharing.plan(), "DumpLoadedClassList") != null) shouldBe true // the lock was released
        }

        test(
            "sharing is off for a class path with a directory and for jvmArgs that set class-data sharing themselves"
        ) {
            val (cache, classpath) = setUp()
            val withDirectory = classpath + java.io.File.pathSeparator + cache
            ClassDataSharing(javaHome, withDirectory, emptyList()) { cache }.plan().options.shouldBeEmpty()
            ClassDataSharing(javaHome, classpath, listOf("-Xshare:off")) { cache }.plan().options.shouldBeEmpty()
        }

        test("pruning keeps the most recently used archives and drops stale temporary files") {
            val (cache, _) = setUp()
            val now = System.currentTimeMillis()
            val archives =
                (0 until 12).map { i ->
                    Files.write(cache.resolve("worker-jdk17-$i.jsa"), ByteArray(1)).also {
                        Files.setLastModifiedTime(it, FileTime.fromMillis(now - i * 60_000L)) // archive 0 is the newest
                    }
                }
            val stale = Files.write(cache.resolve("worker-jdk17-x.jsa.1-2.tmp"), ByteArray(1))
            Files.setLastModifiedTime(stale, FileTime.fromMillis(now - 3_600_000L))
            val fresh =
                Files.write(cache.resolve("worker-jdk17-y.jsa.3-4.tmp"), ByteArray(1)) // a creator still running
            val other = Files.write(cache.resolve("notes.txt"), ByteArray(1))
            Files.write(
                cache.resolve("worker-jdk17-0.jsa.lock"),
                ByteArray(0),
            ) // its archive exists: the creator's JVM ended first
            val staleLock = Files.write(cache.resolve("worker-jdk17-z.jsa.lock"), ByteArray(0))
            Files.setLastModifiedTime(staleLock, FileTime.fromMillis(now - 3_600_000L))
            val creating =
                Files.write(cache.resolve("worker-jdk17-w.jsa.lock"), ByteArray(0)) // a creator still running
            SharingArchives.prune(cache, SharingArchives.MAX_ARCHIVES)
            Files.list(cache).use { it.toList() } shouldContainExactlyInAnyOrder
                archives.take(SharingArchives.MAX_ARCHIVES) + listOf(fresh, other, creating)
        }

        test("using an archive marks it as recently used, so pruning keeps it") {
            val (cache, classpath) = setUp()
            val sharing = ClassDataSharing(javaHome, classpath, emptyList()) { cache }
            val ours =
                Files.write(SharingArchives.archivePath(javaHome, classpath, emptyList()) { cache }!!, ByteArray(1))
            Files.setLastModifiedTime(ours, FileTime.fromMillis(0))
            option(sharing.plan(), "SharedArchiveFile") shouldBe ours.toString() // a worker maps it
            (0 until SharingArchives.MAX_ARCHIVES).forEach {
                Files.write(cache.resolve("worker-jdk17-old$it.jsa"), ByteArray(1))
            }
            (0 until SharingArchives.MAX_ARCHIVES).forEach {
                Files.setLastModifiedTime(
                    cache.resolve("worker-jdk17-old$it.jsa"),
                    FileTime.fromMillis(System.currentTimeMillis() - 60_000),
                )
            }
            SharingArchives.prune(cache, SharingArchives.MAX_ARCHIVES)
            Files.exists(ours) shouldBe true
        }

        test("a static archive is mapped in place, unless the pool's jvmArgs choose a relocation mode themselves") {
            val (cache, classpath) = setUp()
            val archive = SharingArchives.archivePath(javaHome, classpath, emptyList()) { cache }!!
            if (archive.fileName.toString().endsWith(".jsa")) { // the JDK running the tests builds static archives
                Files.write(archive, ByteArray(1))
                val plan = ClassDataSharing(javaHome, classpath, emptyList()) { cache }.plan()
                option(plan, "SharedArchiveFile") shouldBe archive.toString()
                option(plan, "ArchiveRelocationMode") shouldBe "0"
                plan.options.contains("-XX:+UnlockDiagnosticVMOptions") shouldBe true
                val own = listOf("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=1")
                Files.write(SharingArchives.archivePath(javaHome, classpath, own) { cache }!!, ByteArray(1))
                val users = ClassDataSharing(javaHome, classpath, own) { cache }.plan()
                (option(users, "SharedArchiveFile") != null) shouldBe true // still shared
                option(users, "ArchiveRelocationMode") shouldBe null // the pool's own option comes from jvmArgs
            }
        }

        test(
            "on JDK 25 a worker records, and the cache is assembled with the worker's options but a plain class path"
        ) {
            val jdk25 =
                java.io.File("/usr/lib/jvm").listFiles()?.firstOrNull {
                    java.io.File(it, "release").readTextOrNull()?.contains("JAVA_VERSION=\"25") == true
                }
            if (jdk25 != null) {
                val (cache, classpath) = setUp()
                val plan = ClassDataSharing(jdk25.path, classpath, emptyList()) { cache }.plan()
                plan.options.first() shouldBe "-XX:AOTMode=record"
                (option(plan, "AOTConfiguration") != null) shouldBe true
                plan.options.none { it.startsWith("-Xshare") } shouldBe true // cannot be combined with an AOT cache
                plan.options.contains("-XX:-DisplayVMOutput") shouldBe
                    true // no "AOTConfiguration recorded" on the worker's stdout
                val cache25 = SharingArchives.archivePath(jdk25.path, classpath, emptyList()) { cache }!!
                Files.write(cache25, ByteArray(1))
                val mapped = ClassDataSharing(jdk25.path, classpath, emptyList()) { cache }.plan()
                option(mapped, "AOTCache") shouldBe cache25.toString()
                option(mapped, "ArchiveRelocationMode") shouldBe null
            }
            ArchiveAssembly.workerOptions(
                listOf(
                    "setsid",
                    "/jdk/bin/java",
                    "-Xmx100m",
                    "-XX:DumpLoadedClassList=/y",
                    "-XX:AOTMode=record",
                    "-XX:AOTConfiguration=/x",
                    "-Xlog:aot=off",
                    "@/tmp/args",
                    "-cp",
                    "a.jar",
                    "-Dk=v",
                    "some.Main",
                    "-Dnot=an-option",
                    "fifo",
                ),
                "/jdk/bin/java",
            ) shouldBe listOf("-Xmx100m", "-Dk=v")
        }

        test("a pool's own AOT cache options turn ours off") {
            val (cache, classpath) = setUp()
            ClassDataSharing(javaHome, classpath, listOf("-XX:AOTCache=/x.aot")) { cache }
                .plan()
                .options
                .shouldBeEmpty()
        }
    })

private fun java.io.File.readTextOrNull(): String? = if (isFile) readText() else null
