@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.logging.internal

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.cbor.Cbor

/**
 * The [Cbor] instance of the logging module: records, level tables, settings and configurers. Default values are not
 * written, so an ordinary record (no MDC, markers or throwable) stays small.
 */
internal val LogCbor: Cbor = Cbor {
    alwaysUseByteString = true
    ignoreUnknownKeys = true
    encodeDefaults = false
}
