package io.asynccpu.internal.codec

import java.math.BigDecimal
import java.math.BigInteger
import java.time.Duration
import java.time.Instant
import java.time.LocalDate
import java.time.LocalDateTime
import java.time.LocalTime
import java.time.MonthDay
import java.time.OffsetDateTime
import java.time.OffsetTime
import java.time.Period
import java.time.Year
import java.time.YearMonth
import java.time.ZoneId
import java.time.ZoneOffset
import java.time.ZonedDateTime
import java.util.UUID
import kotlinx.serialization.KSerializer
import kotlinx.serialization.SerializationException
import kotlinx.serialization.builtins.BooleanArraySerializer
import kotlinx.serialization.builtins.CharArraySerializer
import kotlinx.serialization.builtins.DoubleArraySerializer
import kotlinx.serialization.builtins.FloatArraySerializer
import kotlinx.serialization.builtins.IntArraySerializer
import kotlinx.serialization.builtins.LongArraySerializer
import kotlinx.serialization.builtins.ShortArraySerializer
import kotlinx.serialization.descriptors.PrimitiveKind
import kotlinx.serialization.descriptors.PrimitiveSerialDescriptor
import kotlinx.serialization.descriptors.SerialDescriptor
import kotlinx.serialization.encoding.Decoder
import kotlinx.serialization.encoding.Encoder

/**
 * Serializers for the Java value types a Java task may take or return besides primitives and strings: primitive arrays,
 * `BigDecimal`, `BigInteger`, `UUID` and the `java.time` value types. Value types travel as their canonical text
 * (`toString`/`parse`), which is exact and version-independent; a malformed text on the wire fails decoding with a
 * [SerializationException].
 */
internal object JavaValueSerializers {
    @Suppress("UNCHECKED_CAST") private fun <T> KSerializer<T>.erased(): KSerializer<Any> = this as KSerializer<Any>

    private val byClass: Map<Class<*>, KSerializer<Any>> =
        listOf(
                IntArray::class.java to IntArraySerializer().erased(),
                LongArray::class.java to LongArraySerializer().erased(),
                DoubleArray::class.java to DoubleArraySerializer().erased(),
                FloatArray::class.java to FloatArraySerializer().erased(),
                ShortArray::class.java to ShortArraySerializer().erased(),
                BooleanArray::class.java to BooleanArraySerializer().erased(),
                CharArray::class.java to CharArraySerializer().erased(),
                text(BigDecimal::class.java) { BigDecimal(it) },
                text(BigInteger::class.java) { BigInteger(it) },
                text(UUID::class.java) { UUID.fromString(it) },
                text(Instant::class.java) { Instant.parse(it) },
                text(Duration::class.java) { Duration.parse(it) },
                text(Period::class.java) { Period.parse(it) },
                text(LocalDate::class.java) { LocalDate.parse(it) },
                text(LocalTime::class.java) { LocalTime.parse(it) },
                text(LocalDateTime::class.java) { LocalDateTime.parse(it) },
                text(OffsetDateTime::class.java) { OffsetDateTime.parse(it) },
                text(OffsetTime::class.java) { OffsetTime.parse(it) },
                text(ZonedDateTime::class.java) { ZonedDateTime.parse(it) },
                text(Year::class.java) { Year.parse(it) },
                text(YearMonth::class.java) { YearMonth.parse(it) },
                text(MonthDay::class.java) { MonthDay.parse(it) },
                text(ZoneOffset::class.java) { ZoneOffset.of(it) },
                text(ZoneId::class.java) { ZoneId.of(it) },
            )
            .toMap()

    /** The serializer for [cls] if it is one of these value types, else null. */
    fun forClass(cls: Class<*>): KSerializer<Any>? = byClass[cls]

    private fun text(cls: Class<*>, parse: (String) -> Any): Pair<Class<*>, KSerializer<Any>> =
        cls to TextFormSerializer(cls.name, parse)

    /** A value written as its `toString()` and read back through [parse]. */
    private class TextFormSerializer(name: String, private val parse: (String) -> Any) : KSerializer<Any> {
        override val descriptor: SerialDescriptor = PrimitiveSerialDescriptor(name, PrimitiveKind.STRING)

        override fun serialize(encoder: Encoder, value: Any) {
            encoder.encodeString(value.toString())
        }

        override fun deserialize(decoder: Decoder): Any {
            val text = decoder.decodeString()
            return try {
                parse(text)
            } catch (e: RuntimeException) {
                throw SerializationException("'$text' is not a valid ${descriptor.serialName}: ${e.message}", e)
            }
        }
    }
}
