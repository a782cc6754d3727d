package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.ExitTask;
import io.asynccpu.MarkerTask;
import io.asynccpu.NotSerializableTask;
import io.asynccpu.PidTask;
import io.asynccpu.Point;
import io.asynccpu.PointsTask;
import io.asynccpu.ProcessPool;
import io.asynccpu.RemoteTaskException;
import io.asynccpu.SignallingTask;
import io.asynccpu.SumOfSquares;
import io.asynccpu.TaskEncodingException;
import io.asynccpu.ThrowingTask;
import io.asynccpu.WorkerCrashedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pool.submitAsync(kotlinTask) and pool.invoke(kotlinTask) from Java, against real workers. */
class SubmitAsyncJavaTest {

    /** A long grace period, so a cancelled task's worker is never killed on a slow machine. */
    static ProcessPool pool(int workers) {
        return ProcessPool.builder()
                .maxWorkers(workers)
                .cancelGracePeriod(Duration.ofSeconds(60))
                .build();
    }

    static long pidOf(String startedLine) {
        assertTrue(startedLine.startsWith("started "), startedLine);
        return Long.parseLong(startedLine.substring("started ".length()));
    }

    @Test
    void kotlinTaskResultArrivesInTheFuture() throws Exception {
        try (ProcessPool pool = pool(2)) {
            CompletableFuture<Long> sum = pool.submitAsync(new SumOfSquares(10));
            // Kotlin's List<out E> shows through in Java as List<? extends Point>.
            CompletableFuture<List<? extends Point>> points = pool.submitAsync(new PointsTask(3));
            assertEquals(285L, sum.get(60, TimeUnit.SECONDS));
            assertEquals(List.of(new Point(0, 0), new Point(1, 1), new Point(2, 4)), points.join());
            assertEquals(285L, pool.invoke(new SumOfSquares(10)));
        }
    }

    @Test
    void taskExceptionKeepsItsTypeAndIsWrappedOnce() {
        try (ProcessPool pool = pool(1)) {
            CompletableFuture<String> future = pool.submitAsync(new ThrowingTask("arithmetic"));
            ExecutionException viaGet = assertThrows(ExecutionException.class, future::get);
            ArithmeticException cause =
                    assertInstanceOf(ArithmeticException.class, viaGet.getCause());
            assertNull(cause.getCause());
            assertTrue(cause.getStackTrace().length > 0, "carries the worker's frames");
            CompletionException viaJoin = assertThrows(CompletionException.class, future::join);
            assertInstanceOf(ArithmeticException.class, viaJoin.getCause());
            assertTrue(future.isCompletedExceptionally());

            assertThrows(
                    ArithmeticException.class, () -> pool.invoke(new ThrowingTask("arithmetic")));
            IllegalStateException chained =
                    assertThrows(
                            IllegalStateException.class,
                            () -> pool.invoke(new ThrowingTask("chain")));
            assertInstanceOf(IllegalArgumentException.class, chained.getCause());
        }
    }

    @Test
    void unrebuildableExceptionArrivesAsRemoteTaskException() {
        try (ProcessPool pool = pool(1)) {
            ExecutionException e =
                    assertThrows(
                            ExecutionException.class,
                            () -> pool.submitAsync(new ThrowingTask("custom")).get());
            RemoteTaskException remote = assertInstanceOf(RemoteTaskException.class, e.getCause());
            assertEquals("io.asynccpu.WorkerOnlyException", remote.getRemoteClassName());
        }
    }

    @Test
    void workerCrashFailsTheFutureWithWorkerCrashedException() {
        try (ProcessPool pool = pool(1)) {
            ExecutionException e =
                    assertThrows(
                            ExecutionException.class,
                            () -> pool.submitAsync(new ExitTask("exit")).get());
            WorkerCrashedException crash =
                    assertInstanceOf(WorkerCrashedException.class, e.getCause());
            assertEquals(3, crash.getExitCode());
            assertThrows(WorkerCrashedException.class, () -> pool.invoke(new ExitTask("exit")));
        }
    }

    @Test
    void badTaskIsRefusedAtSubmission() {
        try (ProcessPool pool = pool(1)) {
            TaskEncodingException e =
                    assertThrows(
                            TaskEncodingException.class,
                            () -> pool.submitAsync(new NotSerializableTask(1)));
            assertTrue(e.getMessage().contains("io.asynccpu.NotSerializableTask"), e.getMessage());
        }
    }

    @Test
    void cancelStopsTheRemoteWorkAndTheWorkerServesAgain() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> future =
                    pool.submitAsync(new SignallingTask(signals.port(), "block"));
            long pid = pidOf(signals.next());
            assertTrue(future.cancel(true));
            assertEquals("cancelled", signals.next(), "the remote coroutine was cancelled");
            assertTrue(future.isCancelled());
            assertThrows(CancellationException.class, future::get);
            assertEquals(pid, pool.invoke(new PidTask()), "the same worker serves the next task");
        }
    }

    @Test
    void cancellingAQueuedTaskMeansItNeverRuns(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("marker");
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> running =
                    pool.submitAsync(new SignallingTask(signals.port(), "block"));
            long pid = pidOf(signals.next());
            CompletableFuture<String> queued =
                    pool.submitAsync(new MarkerTask(marker.toString(), 0));
            assertTrue(queued.cancel(true));
            running.cancel(true);
            assertEquals("cancelled", signals.next());
            // The single worker runs requests in order: once this answers, the queued one would
            // have run.
            assertEquals(pid, pool.invoke(new PidTask()));
            assertFalse(Files.exists(marker), "the cancelled queued task never ran");
        }
    }

    @Test
    void orTimeoutStopsTheRemoteWork() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> future =
                    pool.submitAsync(new SignallingTask(signals.port(), "block"));
            long pid = pidOf(signals.next());
            future.orTimeout(1, TimeUnit.MILLISECONDS);
            assertEquals("cancelled", signals.next(), "the timeout cancelled the remote coroutine");
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            assertInstanceOf(TimeoutException.class, e.getCause());
            assertEquals(pid, pool.invoke(new PidTask()));
        }
    }

    @Test
    void dependentStagesMayBlockWithoutStallingTheWorkerChannel() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> first =
                    pool.submitAsync(new SignallingTask(signals.port(), "await"));
            // Attached before the result exists, so it runs on the thread that completes `first`;
            // it blocks on a second result from the same worker, which must still be readable.
            CompletableFuture<String> chained =
                    first.thenApply(
                            value -> {
                                try {
                                    return value
                                            + " "
                                            + pool.invoke(new SumOfSquares(3))
                                            + " "
                                            + Thread.currentThread().getName();
                                } catch (Exception e) {
                                    throw new CompletionException(e);
                                }
                            });
            pidOf(signals.next());
            signals.send("go");
            String result = chained.get(60, TimeUnit.SECONDS);
            assertTrue(result.startsWith("go 5 asynccpu-future-"), result);
        }
    }

    @Test
    void interruptingInvokeCancelsTheRemoteWork() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller =
                    new Thread(
                            () -> {
                                try {
                                    pool.invoke(new SignallingTask(signals.port(), "block"));
                                    thrown.complete(null);
                                } catch (Throwable t) {
                                    thrown.complete(t);
                                }
                            },
                            "invoking-thread");
            caller.start();
            pidOf(signals.next());
            caller.interrupt();
            assertInstanceOf(InterruptedException.class, thrown.get(60, TimeUnit.SECONDS));
            assertEquals("cancelled", signals.next());
            caller.join();
        }
    }
}
