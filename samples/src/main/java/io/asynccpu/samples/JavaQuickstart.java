package io.asynccpu.samples;

import io.asynccpu.JavaTask;
import io.asynccpu.ProcessPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;

/**
 * The quickstart from Java: ten CPU-bound tasks on three worker JVMs, gathered with {@code
 * CompletableFuture.allOf}; then a task whose input is a record.
 *
 * <pre>
 * ./mvnw -q -pl samples -am -DskipTests -Ddemo -Ddemo.main=io.asynccpu.samples.JavaQuickstart verify
 * </pre>
 */
public final class JavaQuickstart {

    /** A task written in Java: a public class with a no-argument constructor. */
    public static final class SumOfSquares implements JavaTask<Integer, String> {
        @Override
        public String call(Integer taskId) {
            long sum = LongStream.range(0, 3_000_000L).map(i -> i * i).sum();
            return "task "
                    + taskId
                    + ": "
                    + sum
                    + " (computed by worker pid "
                    + ProcessHandle.current().pid()
                    + ")";
        }
    }

    /** Records travel by their components. */
    public record PrimeQuery(long from, long to) {}

    public static final class CountPrimes implements JavaTask<PrimeQuery, Long> {
        @Override
        public Long call(PrimeQuery query) {
            return LongStream.range(query.from(), query.to()).filter(CountPrimes::isPrime).count();
        }

        private static boolean isPrime(long n) {
            if (n < 2) return false;
            for (long d = 2; d * d <= n; d++) if (n % d == 0) return false;
            return true;
        }
    }

    public static void main(String[] args) throws Exception {
        System.out.println(
                "parent pid " + ProcessHandle.current().pid() + ": 10 tasks on 3 workers");
        long start = System.nanoTime();
        try (ProcessPool pool = ProcessPool.builder().maxWorkers(3).build()) {
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int i = 0; i < 10; i++) futures.add(pool.submitAsync(SumOfSquares.class, i));
            CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).join();
            futures.forEach(f -> System.out.println(f.join()));
            System.out.printf("all 10 results in %d ms%n", (System.nanoTime() - start) / 1_000_000);

            long primes = pool.invoke(CountPrimes.class, new PrimeQuery(1, 1_000_000));
            System.out.println("primes below 1,000,000: " + primes);
        }
    }
}
