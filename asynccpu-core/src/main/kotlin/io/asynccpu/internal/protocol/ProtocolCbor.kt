@file:OptIn(ExperimentalSerializationApi::class)

package io.asynccpu.internal.protocol

import kotlinx.serialization.ExperimentalSerializationApi
import kotlinx.serialization.cbor.Cbor

/**
 * The one [Cbor] instance of the library, used for protocol messages and for user tasks, arguments and results alike.
 * Byte arrays are encoded as CBOR byte strings (one header, raw bytes), not as arrays of numbers.
 */
internal val ProtocolCbor: Cbor = Cbor {
    alwaysUseByteString = true
    ignoreUnknownKeys = true
}
