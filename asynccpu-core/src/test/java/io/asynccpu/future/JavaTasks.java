package io.asynccpu.future;

import io.asynccpu.JavaTask;
import io.asynccpu.Point;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

/** Tasks written in Java that the Java tests send to real worker JVMs. */
public final class JavaTasks {
    private JavaTasks() {}

    public static final class CountPrimes implements JavaTask<Long, Long> {
        @Override
        public Long call(Long limit) {
            return LongStream.range(2, limit).filter(CountPrimes::isPrime).count();
        }

        static boolean isPrime(long n) {
            for (long d = 2; d * d <= n; d++) if (n % d == 0) return false;
            return true;
        }
    }

    /** Package-private, with an implicit constructor: still loadable by the worker. */
    static final class Pid implements JavaTask<Void, Long> {
        @Override
        public Long call(Void input) {
            return ProcessHandle.current().pid();
        }
    }

    public static final class Upper implements JavaTask<String, String> {
        @Override
        public String call(String input) {
            return input == null ? null : input.toUpperCase();
        }
    }

    public enum Color {
        RED,
        GREEN,
        BLUE {
            @Override
            public String toString() {
                return "blue!";
            }
        }
    }

    public record Inner(String label, List<Integer> values) {}

    /** Every supported kind of type, once. */
    public record Everything(
            int i,
            long l,
            double d,
            float f,
            short s,
            byte b,
            char c,
            boolean z,
            Integer boxed,
            Long nullBox,
            String text,
            byte[] bytes,
            List<String> list,
            Set<Long> set,
            Map<String, Integer> map,
            Map<Color, List<Inner>> nested,
            Color color,
            Inner inner,
            Point kotlinPoint,
            List<Point> kotlinPoints) {}

    /**
     * Shifts every field, so the test sees that the worker decoded, changed and re-encoded each
     * one.
     */
    public static final class Shift implements JavaTask<Everything, Everything> {
        @Override
        public Everything call(Everything e) {
            List<String> list = new ArrayList<>(e.list());
            list.add("worker");
            Set<Long> set = new LinkedHashSet<>(e.set());
            set.add(-1L);
            Map<String, Integer> map = new LinkedHashMap<>(e.map());
            map.put("worker", 1);
            byte[] bytes = e.bytes().clone();
            for (int k = 0; k < bytes.length; k++) bytes[k]++;
            Color next = Color.values()[(e.color().ordinal() + 1) % Color.values().length];
            List<Point> points = new ArrayList<>(e.kotlinPoints());
            points.add(new Point(-1, -1));
            return new Everything(
                    e.i() + 1,
                    e.l() + 1,
                    e.d() * 2,
                    e.f() * 2,
                    (short) (e.s() + 1),
                    (byte) (e.b() + 1),
                    (char) (e.c() + 1),
                    !e.z(),
                    e.boxed() + 1,
                    e.nullBox(),
                    e.text() + "!",
                    bytes,
                    list,
                    set,
                    map,
                    e.nested(),
                    next,
                    new Inner(e.inner().label() + "'", e.inner().values()),
                    new Point(e.kotlinPoint().getX() + 1, e.kotlinPoint().getY() + 1),
                    points);
        }
    }

    public record Pair<A, B>(A first, B second) {}

    public static final class SwapPair
            implements JavaTask<Pair<String, List<Integer>>, Pair<List<Integer>, String>> {
        @Override
        public Pair<List<Integer>, String> call(Pair<String, List<Integer>> p) {
            return new Pair<>(p.second(), p.first());
        }
    }

    /** Generic class bound by a subclass: the types come from the subclass's declaration. */
    public abstract static class Echo<T> implements JavaTask<T, T> {
        @Override
        public T call(T input) {
            return input;
        }
    }

    public static final class EchoColors extends Echo<List<Color>> {}

    public static final class Histogram implements JavaTask<List<Integer>, Map<String, Integer>> {
        @Override
        public Map<String, Integer> call(List<Integer> values) {
            Map<String, Integer> counts = new TreeMap<>();
            for (int v : values) counts.merge(v % 2 == 0 ? "even" : "odd", 1, Integer::sum);
            return counts;
        }
    }

    public static final class Nothing implements JavaTask<String, Void> {
        @Override
        public Void call(String input) {
            System.out.println("Nothing was called with " + input);
            return null;
        }
    }

    /** A record with two byte arrays: large ones travel out of band. */
    public record TwoBlobs(String label, byte[] first, int count, byte[] second) {}

    /** Swaps the arrays, doubles the count. */
    public static final class SwapBlobs implements JavaTask<TwoBlobs, TwoBlobs> {
        @Override
        public TwoBlobs call(TwoBlobs in) {
            return new TwoBlobs(in.label() + "!", in.second(), in.count() * 2, in.first());
        }
    }

    public record Range(int from, int to) {
        public Range {
            if (from > to) throw new IllegalArgumentException("from > to");
        }
    }

    public static final class Sum implements JavaTask<Range, Long> {
        @Override
        public Long call(Range r) {
            return LongStream.range(r.from(), r.to()).sum();
        }
    }

    // ---- settings that reach the worker ----

    public static final class ReadProperty implements JavaTask<String, String> {
        @Override
        public String call(String name) {
            return System.getProperty(name);
        }
    }

    public static final class ReadEnv implements JavaTask<String, String> {
        @Override
        public String call(String name) {
            return System.getenv(name);
        }
    }

    public static final class Print implements JavaTask<String, String> {
        @Override
        public String call(String line) {
            System.out.println(line);
            System.out.flush();
            return "printed";
        }
    }

    // ---- failures ----

    public static final class ThrowChecked implements JavaTask<String, String> {
        @Override
        public String call(String kind) throws Exception {
            switch (kind) {
                case "io":
                    throw new IOException("disk on fire");
                case "custom":
                    throw new TestCheckedException("invoice 42 is invalid");
                case "unrebuildable":
                    throw new Unrebuildable(7);
                default:
                    throw new IllegalStateException("unknown " + kind);
            }
        }
    }

    /** No (String) constructor: the caller cannot rebuild it. */
    public static final class Unrebuildable extends Exception {
        public Unrebuildable(int code) {
            super("code " + code);
        }
    }

    public static final class Exit implements JavaTask<Integer, String> {
        @Override
        public String call(Integer code) {
            System.exit(code);
            return "unreachable";
        }
    }

    /**
     * Reports "started <pid>", then blocks until interrupted, reports "interrupted" and rethrows.
     */
    public static final class BlockUntilInterrupted implements JavaTask<Integer, String> {
        @Override
        public String call(Integer port) throws Exception {
            try (SignalClient signals = SignalClient.connect(port)) {
                signals.send("started " + ProcessHandle.current().pid());
                try {
                    Thread.sleep(Long.MAX_VALUE);
                    return "not interrupted";
                } catch (InterruptedException e) {
                    signals.send("interrupted");
                    throw e;
                }
            }
        }
    }

    // ---- refused at submission ----

    public static final class TakesCurrency implements JavaTask<Currency, String> {
        @Override
        public String call(Currency input) {
            return input.getCurrencyCode();
        }
    }

    public record Meeting(String title, Date when) {}

    public static final class Schedule implements JavaTask<List<Meeting>, String> {
        @Override
        public String call(List<Meeting> input) {
            return "scheduled";
        }
    }

    public record Node(String name, List<Node> children) {}

    public static final class CountNodes implements JavaTask<Node, Integer> {
        @Override
        public Integer call(Node input) {
            return 1;
        }
    }

    @SuppressWarnings("rawtypes")
    public static final class RawList implements JavaTask<List, String> {
        @Override
        public String call(List input) {
            return "raw";
        }
    }

    public static final class NoDefaultConstructor implements JavaTask<String, String> {
        private final String prefix;

        public NoDefaultConstructor(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public String call(String input) {
            return prefix + input;
        }
    }

    /** An inner (non-static) class: it needs an enclosing instance, so it cannot be a task. */
    public final class NotStatic implements JavaTask<String, String> {
        @Override
        public String call(String input) {
            return input;
        }
    }
}
