package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.NullableTask;
import io.asynccpu.ProcessPool;
import io.asynccpu.SignallingTask;
import io.asynccpu.SumOfSquares;
import io.asynccpu.ThrowingTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ProcessFutures.allAsList: gathering futures from submitAsync in submission order. */
class ProcessFuturesJavaTest {

    static ProcessPool pool(int workers) {
        return ProcessPool.builder()
                .maxWorkers(workers)
                .cancelGracePeriod(Duration.ofSeconds(60))
                .build();
    }

    @Test
    void resultsComeInSubmissionOrder() throws Exception {
        try (ProcessPool pool = pool(3)) {
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            List<Long> expected = new ArrayList<>();
            // Larger tasks first, so later (smaller) ones tend to finish first.
            for (int n = 20; n > 0; n--) {
                futures.add(pool.submitAsync(new SumOfSquares(n * 200_000L)));
                long m = n * 200_000L;
                long sum = 0;
                for (long i = 0; i < m; i++) sum += i * i;
                expected.add(sum);
            }
            assertEquals(expected, ProcessFutures.allAsList(futures).get(120, TimeUnit.SECONDS));
        }
    }

    @Test
    void nullResultsAndEmptyInput() throws Exception {
        try (ProcessPool pool = pool(1)) {
            List<CompletableFuture<String>> futures =
                    List.of(
                            pool.submitAsync(new NullableTask(false)),
                            pool.submitAsync(new NullableTask(true)));
            assertEquals(Arrays.asList("value", null), ProcessFutures.allAsList(futures).join());
        }
        assertEquals(List.of(), ProcessFutures.<String>allAsList(List.of()).join());
    }

    @Test
    void theFirstFailureFailsTheGatheredFutureUnwrapped() {
        try (ProcessPool pool = pool(2)) {
            List<CompletableFuture<String>> futures =
                    List.of(
                            pool.submitAsync(new ThrowingTask("arithmetic")),
                            // A dependent stage fails with a CompletionException wrapper; allAsList
                            // unwraps it.
                            pool.submitAsync(new ThrowingTask("arithmetic"))
                                    .thenApply(s -> s + "!"));
            ExecutionException e =
                    assertThrows(
                            ExecutionException.class,
                            () -> ProcessFutures.allAsList(futures).get());
            assertInstanceOf(ArithmeticException.class, e.getCause());
        }
    }

    @Test
    void cancellingTheGatheredFutureCancelsTheRemoteWork() throws Exception {
        try (ProcessPool pool = pool(2);
                Signals first = new Signals();
                Signals second = new Signals()) {
            List<CompletableFuture<String>> futures =
                    List.of(
                            pool.submitAsync(new SignallingTask(first.port(), "block")),
                            pool.submitAsync(JavaTasks.BlockUntilInterrupted.class, second.port()));
            CompletableFuture<List<String>> all = ProcessFutures.allAsList(futures);
            assertTrue(first.next().startsWith("started"));
            assertTrue(second.next().startsWith("started"));
            assertTrue(all.cancel(true));
            assertEquals("cancelled", first.next());
            assertEquals("interrupted", second.next());
            assertThrows(CancellationException.class, all::join);
            assertTrue(futures.get(0).isCancelled());
            assertTrue(futures.get(1).isCancelled());
        }
    }
}
