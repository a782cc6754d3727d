package io.asynccpu.logging.internal

import io.asynccpu.logging.LogLevel
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.util.logging.Level as JulLevel

class LevelTableTest :
    FunSpec({
        val table =
            LevelTable(
                LogLevel.INFO,
                mapOf("com.example" to LogLevel.DEBUG, "com.example.noisy" to LogLevel.OFF, "org" to LogLevel.WARN),
            )

        test("a logger takes the level of its longest configured dotted prefix, else the root's") {
            table.effective("com.example") shouldBe LogLevel.DEBUG
            table.effective("com.example.Foo") shouldBe LogLevel.DEBUG
            table.effective("com.example.noisy.Bar") shouldBe LogLevel.OFF
            table.effective("com.examples") shouldBe LogLevel.INFO
            table.effective("org.slf4j") shouldBe LogLevel.WARN
            table.effective("") shouldBe LogLevel.INFO
            table.effective(".leading.dot") shouldBe LogLevel.INFO
        }

        test("OFF lets nothing through, not even ERROR") {
            table.isEnabled("com.example.noisy", LogLevel.ERROR) shouldBe false
            table.isEnabled("com.example.quiet", LogLevel.DEBUG) shouldBe true
            table.isEnabled("other", LogLevel.DEBUG) shouldBe false
        }

        test("changes return new tables and survive the wire") {
            val changed = table.with(LogLevel.TRACE).with("org", null).with("net", LogLevel.ERROR)
            table.root shouldBe LogLevel.INFO
            val back = LevelTable.fromWire(changed.toWire())
            back.root shouldBe LogLevel.TRACE
            back.loggers shouldBe
                mapOf("com.example" to LogLevel.DEBUG, "com.example.noisy" to LogLevel.OFF, "net" to LogLevel.ERROR)
            table.mostVerbose() shouldBe LogLevel.DEBUG
        }

        test("java.util.logging levels map as jul-to-slf4j maps them, and thresholds let exactly those through") {
            JulLevel.FINEST.toLogLevel() shouldBe LogLevel.TRACE
            JulLevel.FINER.toLogLevel() shouldBe LogLevel.DEBUG
            JulLevel.FINE.toLogLevel() shouldBe LogLevel.DEBUG
            JulLevel.CONFIG.toLogLevel() shouldBe LogLevel.INFO
            JulLevel.INFO.toLogLevel() shouldBe LogLevel.INFO
            JulLevel.WARNING.toLogLevel() shouldBe LogLevel.WARN
            JulLevel.SEVERE.toLogLevel() shouldBe LogLevel.ERROR
            val julLevels =
                listOf(
                    JulLevel.FINEST,
                    JulLevel.FINER,
                    JulLevel.FINE,
                    JulLevel.CONFIG,
                    JulLevel.INFO,
                    JulLevel.WARNING,
                    JulLevel.SEVERE,
                )
            LogLevel.entries
                .filter { it != LogLevel.OFF }
                .forEach { threshold ->
                    julLevels.forEach { jul ->
                        (jul.intValue() >= threshold.toJulThreshold().intValue()) shouldBe
                            (jul.toLogLevel() >= threshold)
                    }
                }
        }
    })
