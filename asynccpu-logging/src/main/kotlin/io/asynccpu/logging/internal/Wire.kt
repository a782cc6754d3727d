package io.asynccpu.logging.internal

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/**
 * What travels between the parent and a worker on the side channel (all CBOR, see [LogCbor]), the only way settings
 * reach a worker:
 *
 * | topic            | dir | payload                                                                   |
 * |------------------|-----|---------------------------------------------------------------------------|
 * | [SETTINGS_TOPIC] | p→c | one [WireSettings]: the first message to a new worker, before any request |
 * | [LEVELS_TOPIC]   | p→c | a [WireLevels] that replaces the worker's, after each change              |
 * | [RECORD_TOPIC]   | c→p | one [WireRecord]                                                          |
 *
 * A worker's channel keeps messages in order, so a worker always ends with the parent's latest levels. Field names are
 * one letter to keep records small.
 */
internal object Wire {
    const val RECORD_TOPIC: String = "asynccpu.log"
    const val SETTINGS_TOPIC: String = "asynccpu.log.settings"
    const val LEVELS_TOPIC: String = "asynccpu.log.levels"
}

/** One log record as the worker sends it; the parent adds the worker's id and pid. */
@Serializable
internal class WireRecord(
    @SerialName("t") val epochMillis: Long,
    /** [io.asynccpu.logging.LogLevel] ordinal. */
    @SerialName("l") val level: Int,
    @SerialName("n") val loggerName: String,
    @SerialName("m") val message: String,
    @SerialName("h") val threadName: String,
    @SerialName("c") val mdc: Map<String, String> = emptyMap(),
    @SerialName("k") val keys: List<String> = emptyList(),
    @SerialName("v") val values: List<String?> = emptyList(),
    @SerialName("r") val markers: List<String> = emptyList(),
    /** The attached throwable in the core's wire form ([io.asynccpu.spi.WireThrowable.toBytes]). */
    @SerialName("x") val throwable: ByteArray? = null,
    @SerialName("i") val taskId: Long? = null,
)

/** A level table: root threshold and per-logger thresholds, as [io.asynccpu.logging.LogLevel] ordinals. */
@Serializable
internal class WireLevels(@SerialName("r") val root: Int, @SerialName("l") val loggers: Map<String, Int> = emptyMap())

/** What a new worker gets before its first request: its levels, what to forward, and the configurer to run. */
@Serializable
internal class WireSettings(
    @SerialName("l") val levels: WireLevels,
    @SerialName("j") val forwardJavaUtilLogging: Boolean = true,
    @SerialName("c") val configurerClass: String? = null,
    @SerialName("b") val configurer: ByteArray? = null,
)
