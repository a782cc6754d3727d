package consumer;

import io.asynccpu.ProcessPool;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

public final class JavaConsumer {
    public static void main(String[] args) throws Exception {
        try (ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(1)
                        .shutdownTimeout(Duration.ofSeconds(5))
                        .build()) {
            CompletableFuture<Long> primes = pool.submitAsync(CountPrimes.class, 1_000L);
            System.out.println("JAVA-OK " + primes.get());
        }
    }
}
