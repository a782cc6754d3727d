package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.ProcessPool;
import io.asynccpu.TaskEncodingException;
import io.asynccpu.future.ValueTasks.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JDK value types as JavaTask inputs and outputs, through a real worker JVM. */
class JavaValueTypesJavaTest {

    @Test
    void arraysNumbersTimeOptionalAndUuidRoundTripThroughAWorker() throws Exception {
        Values in =
                new Values(
                        new int[] {1, -2, Integer.MAX_VALUE},
                        new long[] {Long.MIN_VALUE, 0L},
                        new double[] {0.1, Double.NaN, -0.0},
                        new BigDecimal("12345678901234567890.000100"),
                        new BigInteger("-98765432109876543210987654321"),
                        UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                        Instant.parse("2026-01-02T03:04:05.123456789Z"),
                        Duration.ofSeconds(90061, 5),
                        Period.of(1, 2, 3),
                        LocalDate.of(2024, 2, 29),
                        LocalTime.of(23, 59, 58, 1),
                        LocalDateTime.of(2020, 1, 1, 0, 0),
                        OffsetDateTime.parse("2026-05-06T07:08:09+05:30"),
                        OffsetTime.parse("10:15:30-08:00"),
                        ZonedDateTime.parse("2026-07-01T12:00+02:00[Europe/Paris]"),
                        Year.of(1999),
                        YearMonth.of(2000, 12),
                        MonthDay.of(2, 29),
                        ZoneId.of("America/New_York"),
                        ZoneOffset.ofHoursMinutes(-3, -30),
                        DayOfWeek.SUNDAY,
                        Optional.of("here"),
                        Optional.empty(),
                        Optional.of(List.of(Instant.EPOCH)));
        try (ProcessPool pool = JavaTaskJavaTest.pool(1)) {
            Values out =
                    pool.submitAsync(ValueTasks.EchoValues.class, in).get(60, TimeUnit.SECONDS);
            assertArrayEquals(in.ints(), out.ints());
            assertArrayEquals(in.longs(), out.longs());
            assertArrayEquals(in.doubles(), out.doubles());
            assertEquals(in.decimal(), out.decimal(), "BigDecimal keeps its scale");
            assertEquals(in.integer(), out.integer());
            assertEquals(in.uuid(), out.uuid());
            assertEquals(in.instant(), out.instant());
            assertEquals(in.duration(), out.duration());
            assertEquals(in.period(), out.period());
            assertEquals(in.date(), out.date());
            assertEquals(in.time(), out.time());
            assertEquals(in.dateTime(), out.dateTime());
            assertEquals(in.offsetDateTime(), out.offsetDateTime());
            assertEquals(in.offsetTime(), out.offsetTime());
            assertEquals(in.zonedDateTime(), out.zonedDateTime(), "zone rules and offset survive");
            assertEquals(in.year(), out.year());
            assertEquals(in.yearMonth(), out.yearMonth());
            assertEquals(in.monthDay(), out.monthDay());
            assertEquals(in.zone(), out.zone());
            assertEquals(in.offset(), out.offset());
            assertEquals(in.day(), out.day());
            assertEquals(Optional.of("here"), out.present());
            assertEquals(Optional.empty(), out.absent(), "an empty Optional stays empty, not null");
            assertEquals(in.nested(), out.nested());

            assertArrayEquals(
                    new long[] {6L, 3L},
                    pool.invoke(ValueTasks.SumInts.class, new int[] {1, 2, 3}));
            assertEquals(
                    Optional.of(new BigDecimal("1.5E+3")),
                    pool.invoke(ValueTasks.Scale.class, Optional.of(new BigDecimal("1.5"))));
            assertEquals(Optional.empty(), pool.invoke(ValueTasks.Scale.class, Optional.empty()));
            assertNull(
                    pool.invoke(ValueTasks.Scale.class, null),
                    "a null Optional reference stays null");
            assertEquals(
                    Instant.EPOCH.plus(Duration.ofDays(1)),
                    pool.invoke(ValueTasks.Later.class, Instant.EPOCH));
        }
    }

    @Test
    void otherJdkTypesAndRawOptionalAreRefusedAtSubmissionNamingTheType() {
        try (ProcessPool pool = JavaTaskJavaTest.pool(1)) {
            TaskEncodingException currency =
                    assertThrows(
                            TaskEncodingException.class,
                            () ->
                                    pool.submitAsync(
                                            JavaTasks.TakesCurrency.class,
                                            java.util.Currency.getInstance("EUR")));
            assertTrue(
                    currency.getMessage().contains("'java.util.Currency'"), currency.getMessage());
            assertTrue(
                    currency.getMessage().contains("BigDecimal, BigInteger, UUID"),
                    currency.getMessage());

            TaskEncodingException raw =
                    assertThrows(
                            TaskEncodingException.class,
                            () -> pool.submitAsync(ValueTasks.RawOptional.class, Optional.empty()));
            assertTrue(raw.getMessage().contains("Optional<String>"), raw.getMessage());
        }
    }
}
