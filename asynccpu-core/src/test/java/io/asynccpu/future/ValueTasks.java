package io.asynccpu.future;

import io.asynccpu.JavaTask;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Java tasks whose inputs and outputs are JDK value types: primitive arrays, numbers, java.time,
 * Optional, UUID.
 */
public final class ValueTasks {
    private ValueTasks() {}

    public record Values(
            int[] ints,
            long[] longs,
            double[] doubles,
            BigDecimal decimal,
            BigInteger integer,
            UUID uuid,
            Instant instant,
            Duration duration,
            Period period,
            LocalDate date,
            LocalTime time,
            LocalDateTime dateTime,
            OffsetDateTime offsetDateTime,
            OffsetTime offsetTime,
            ZonedDateTime zonedDateTime,
            Year year,
            YearMonth yearMonth,
            MonthDay monthDay,
            ZoneId zone,
            ZoneOffset offset,
            DayOfWeek day,
            Optional<String> present,
            Optional<String> absent,
            Optional<List<Instant>> nested) {}

    /** Returns the values it received, re-encoded by the worker. */
    public static final class EchoValues implements JavaTask<Values, Values> {
        @Override
        public Values call(Values input) {
            return input;
        }
    }

    /** Computed in the worker, so the result is built there rather than echoed. */
    public static final class SumInts implements JavaTask<int[], long[]> {
        @Override
        public long[] call(int[] input) {
            return new long[] {Arrays.stream(input).asLongStream().sum(), input.length};
        }
    }

    public static final class Scale
            implements JavaTask<Optional<BigDecimal>, Optional<BigDecimal>> {
        @Override
        public Optional<BigDecimal> call(Optional<BigDecimal> input) {
            return input == null ? null : input.map(d -> d.scaleByPowerOfTen(3));
        }
    }

    public static final class Later implements JavaTask<Instant, Instant> {
        @Override
        public Instant call(Instant input) {
            return input.plus(Duration.ofDays(1));
        }
    }

    @SuppressWarnings("rawtypes")
    public static final class RawOptional implements JavaTask<Optional, String> {
        @Override
        public String call(Optional input) {
            return "raw";
        }
    }
}
