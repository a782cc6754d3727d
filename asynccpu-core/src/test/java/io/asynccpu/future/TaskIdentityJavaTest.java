package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.ProcessPool;
import io.asynccpu.SubmittedTask;
import io.asynccpu.SumOfSquares;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** JavaTaskIdentity.withTaskId(Supplier) from Java: the id of one submission, and refusals. */
class TaskIdentityJavaTest {

    static ProcessPool pool() {
        return ProcessPool.builder()
                .maxWorkers(1)
                .cancelGracePeriod(Duration.ofSeconds(60))
                .build();
    }

    @Test
    void withTaskIdReturnsTheHandleAndADistinctIdForEachSubmissionForm() throws Exception {
        try (ProcessPool pool = pool()) {
            SubmittedTask<CompletableFuture<Long>> javaTask =
                    JavaTaskIdentity.withTaskId(
                            () -> pool.submitAsync(JavaTasks.CountPrimes.class, 100L));
            SubmittedTask<CompletableFuture<Long>> kotlinTask =
                    JavaTaskIdentity.withTaskId(() -> pool.submitAsync(new SumOfSquares(3)));

            assertEquals(25L, javaTask.getHandle().get(60, TimeUnit.SECONDS));
            assertEquals(
                    pool.invoke(new SumOfSquares(3)),
                    kotlinTask.getHandle().get(60, TimeUnit.SECONDS));
            assertTrue(javaTask.getTaskId() > 0, "ids are positive: " + javaTask);
            assertNotEquals(javaTask.getTaskId(), kotlinTask.getTaskId());
        }
    }

    @Test
    void noSubmissionOrTwoSubmissionsAreRefusedWithAMessageSayingWhatToDo() throws Exception {
        try (ProcessPool pool = pool()) {
            IllegalArgumentException none =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> JavaTaskIdentity.withTaskId(() -> "nothing submitted"));
            assertTrue(none.getMessage().contains("exactly one"), none.getMessage());

            CompletableFuture<?>[] both = new CompletableFuture<?>[2];
            IllegalArgumentException two =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    JavaTaskIdentity.withTaskId(
                                            () -> {
                                                both[0] = pool.submitAsync(new SumOfSquares(1));
                                                both[1] = pool.submitAsync(new SumOfSquares(2));
                                                return both;
                                            }));
            assertTrue(two.getMessage().contains("submitted 2"), two.getMessage());
            CompletableFuture.allOf(both)
                    .get(60, TimeUnit.SECONDS); // the tasks it did submit still run
        }
    }
}
