package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.JavaTask;
import io.asynccpu.Point;
import io.asynccpu.ProcessPool;
import io.asynccpu.RemoteTaskException;
import io.asynccpu.TaskEncodingException;
import io.asynccpu.WorkerCrashedException;
import io.asynccpu.future.JavaTasks.Color;
import io.asynccpu.future.JavaTasks.Everything;
import io.asynccpu.future.JavaTasks.Inner;
import io.asynccpu.future.JavaTasks.Pair;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Tasks written in Java (JavaTask), submitted from Java to real workers. */
class JavaTaskJavaTest {

    static ProcessPool pool(int workers) {
        return ProcessPool.builder()
                .maxWorkers(workers)
                .cancelGracePeriod(Duration.ofSeconds(60))
                .build();
    }

    static String supportedSet(TaskEncodingException e) {
        assertTrue(
                e.getMessage().contains("records whose components are supported types"),
                e.getMessage());
        return e.getMessage();
    }

    @Test
    void javaTaskRunsInAWorkerWithBoxedPrimitiveTypes() throws Exception {
        try (ProcessPool pool = pool(2)) {
            CompletableFuture<Long> primes = pool.submitAsync(JavaTasks.CountPrimes.class, 100L);
            long workerPid = pool.invoke(JavaTasks.Pid.class, null);
            assertEquals(25L, primes.get(60, TimeUnit.SECONDS));
            assertTrue(workerPid != ProcessHandle.current().pid(), "ran in another process");
        }
    }

    @Test
    void largeByteArraysInRecordsTravelBothWays() throws Exception {
        byte[] big = new byte[16 << 20];
        for (int k = 0; k < big.length; k++) big[k] = (byte) (k * 7);
        byte[] small = {1, 2, 3};
        try (ProcessPool pool = pool(1)) {
            JavaTasks.TwoBlobs out =
                    pool.submitAsync(
                                    JavaTasks.SwapBlobs.class,
                                    new JavaTasks.TwoBlobs("b", big, 21, small))
                            .get(60, TimeUnit.SECONDS);
            assertEquals("b!", out.label());
            assertEquals(42, out.count());
            assertArrayEquals(small, out.first());
            assertArrayEquals(big, out.second());
        }
    }

    @Test
    void recordsEnumsCollectionsAndKotlinClassesTravelBothWays() throws Exception {
        Everything in =
                new Everything(
                        1,
                        2L,
                        1.5,
                        2.5f,
                        (short) 3,
                        (byte) 4,
                        'a',
                        true,
                        10,
                        null,
                        "text",
                        new byte[] {1, 2, 3},
                        List.of("a", "b"),
                        Set.of(5L),
                        Map.of("k", 1),
                        Map.of(Color.BLUE, List.of(new Inner("n", List.of(1)))),
                        Color.BLUE,
                        new Inner("inner", List.of(7, 8)),
                        new Point(3, 4),
                        List.of(new Point(0, 0)));
        try (ProcessPool pool = pool(1)) {
            Everything out = pool.submitAsync(JavaTasks.Shift.class, in).get(60, TimeUnit.SECONDS);
            assertEquals(2, out.i());
            assertEquals(3L, out.l());
            assertEquals(3.0, out.d());
            assertEquals(5.0f, out.f());
            assertEquals((short) 4, out.s());
            assertEquals((byte) 5, out.b());
            assertEquals('b', out.c());
            assertEquals(false, out.z());
            assertEquals(11, out.boxed());
            assertNull(out.nullBox());
            assertEquals("text!", out.text());
            assertArrayEquals(new byte[] {2, 3, 4}, out.bytes());
            assertEquals(List.of("a", "b", "worker"), out.list());
            assertEquals(Set.of(5L, -1L), out.set());
            assertEquals(Map.of("k", 1, "worker", 1), out.map());
            assertEquals(in.nested(), out.nested());
            assertEquals(Color.RED, out.color(), "BLUE (a constant with a body) + 1 wraps to RED");
            assertEquals(new Inner("inner'", List.of(7, 8)), out.inner());
            assertEquals(new Point(4, 5), out.kotlinPoint());
            assertEquals(List.of(new Point(0, 0), new Point(-1, -1)), out.kotlinPoints());
        }
    }

    @Test
    void genericRecordsSubclassBoundTypesMapsNullsAndVoid() throws Exception {
        try (ProcessPool pool = pool(1)) {
            assertEquals(
                    new Pair<>(List.of(1, 2), "x"),
                    pool.invoke(JavaTasks.SwapPair.class, new Pair<>("x", List.of(1, 2))));
            assertEquals(
                    List.of(Color.GREEN, Color.BLUE),
                    pool.invoke(JavaTasks.EchoColors.class, List.of(Color.GREEN, Color.BLUE)));
            assertEquals(
                    Map.of("even", 2, "odd", 1),
                    pool.invoke(JavaTasks.Histogram.class, List.of(1, 2, 4)));
            assertEquals("ABC", pool.invoke(JavaTasks.Upper.class, "abc"));
            assertNull(pool.invoke(JavaTasks.Upper.class, null), "null in, null out");
            assertNull(pool.submitAsync(JavaTasks.Nothing.class, "x").get(60, TimeUnit.SECONDS));
            assertEquals(45L, pool.invoke(JavaTasks.Sum.class, new JavaTasks.Range(0, 10)));
        }
    }

    @Test
    void unsupportedTypesAreRefusedAtSubmissionNamingTheType() {
        try (ProcessPool pool = pool(1)) {
            TaskEncodingException currency =
                    assertThrows(
                            TaskEncodingException.class,
                            () ->
                                    pool.submitAsync(
                                            JavaTasks.TakesCurrency.class,
                                            java.util.Currency.getInstance("EUR")));
            assertTrue(
                    supportedSet(currency).contains("'java.util.Currency'"), currency.getMessage());
            assertTrue(currency.getMessage().contains("input of Java task"), currency.getMessage());

            TaskEncodingException date =
                    assertThrows(
                            TaskEncodingException.class,
                            () -> pool.submitAsync(JavaTasks.Schedule.class, List.of()));
            assertTrue(supportedSet(date).contains("'java.util.Date'"), date.getMessage());
            assertTrue(date.getMessage().contains("component 'when'"), date.getMessage());

            TaskEncodingException recursive =
                    assertThrows(
                            TaskEncodingException.class,
                            () -> pool.submitAsync(JavaTasks.CountNodes.class, null));
            assertTrue(supportedSet(recursive).contains("recursive"), recursive.getMessage());

            TaskEncodingException raw =
                    assertThrows(
                            TaskEncodingException.class,
                            () -> pool.submitAsync(JavaTasks.RawList.class, List.of()));
            assertTrue(supportedSet(raw).contains("'java.util.List'"), raw.getMessage());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfTheWrongTypeIsRefusedAtSubmission() {
        try (ProcessPool pool = pool(1)) {
            Class<? extends JavaTask<Object, String>> upper = (Class) JavaTasks.Upper.class;
            TaskEncodingException e =
                    assertThrows(TaskEncodingException.class, () -> pool.submitAsync(upper, 42));
            assertTrue(e.getMessage().contains("input of Java task Upper"), e.getMessage());
        }
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void classesThatCannotBeInstantiatedByNameAreRefused() {
        try (ProcessPool pool = pool(1)) {
            IllegalArgumentException noDefault =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> pool.submitAsync(JavaTasks.NoDefaultConstructor.class, "x"));
            assertTrue(
                    noDefault.getMessage().contains("no no-argument constructor"),
                    noDefault.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.submitAsync(JavaTasks.NotStatic.class, "x"));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.submitAsync((Class) JavaTasks.Echo.class, "x"));
            JavaTask<String, String> anonymous =
                    new JavaTask<>() {
                        @Override
                        public String call(String input) {
                            return input;
                        }
                    };
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.submitAsync((Class) anonymous.getClass(), "x"));
            JavaTask<String, String> lambda = input -> input;
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.submitAsync((Class) lambda.getClass(), "x"));
        }
    }

    @Test
    void checkedExceptionsComeBackAsThemselves() throws Exception {
        try (ProcessPool pool = pool(1)) {
            CompletableFuture<String> io = pool.submitAsync(JavaTasks.ThrowChecked.class, "io");
            ExecutionException viaGet = assertThrows(ExecutionException.class, io::get);
            IOException ioCause = assertInstanceOf(IOException.class, viaGet.getCause());
            assertEquals("disk on fire", ioCause.getMessage());
            assertTrue(
                    ioCause.getStackTrace()[0].getClassName().endsWith("ThrowChecked"),
                    "the worker's frames");
            CompletionException viaJoin = assertThrows(CompletionException.class, io::join);
            assertInstanceOf(IOException.class, viaJoin.getCause());

            try {
                pool.invoke(JavaTasks.ThrowChecked.class, "custom");
            } catch (TestCheckedException expected) {
                assertEquals("invoice 42 is invalid", expected.getMessage());
            }
            assertThrows(
                    TestCheckedException.class,
                    () -> pool.invoke(JavaTasks.ThrowChecked.class, "custom"));
            assertThrows(
                    IllegalStateException.class,
                    () -> pool.invoke(JavaTasks.ThrowChecked.class, "other"));

            RemoteTaskException remote =
                    assertThrows(
                            RemoteTaskException.class,
                            () -> pool.invoke(JavaTasks.ThrowChecked.class, "unrebuildable"));
            assertEquals(JavaTasks.Unrebuildable.class.getName(), remote.getRemoteClassName());
            assertEquals("code 7", remote.getRemoteMessage());
        }
    }

    @Test
    void workerCrashFromAJavaTask() {
        try (ProcessPool pool = pool(1)) {
            ExecutionException e =
                    assertThrows(
                            ExecutionException.class,
                            () -> pool.submitAsync(JavaTasks.Exit.class, 5).get());
            assertEquals(
                    5, assertInstanceOf(WorkerCrashedException.class, e.getCause()).getExitCode());
        }
    }

    @Test
    void cancelInterruptsTheJavaTaskAndTheWorkerServesAgain() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> future =
                    pool.submitAsync(JavaTasks.BlockUntilInterrupted.class, signals.port());
            long pid = SubmitAsyncJavaTest.pidOf(signals.next());
            assertTrue(future.cancel(true));
            assertEquals("interrupted", signals.next());
            assertTrue(future.isCancelled());
            assertEquals(pid, pool.invoke(JavaTasks.Pid.class, null));
        }
    }

    @Test
    void orTimeoutInterruptsTheJavaTask() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<String> future =
                    pool.submitAsync(JavaTasks.BlockUntilInterrupted.class, signals.port());
            SubmitAsyncJavaTest.pidOf(signals.next());
            future.orTimeout(1, TimeUnit.MILLISECONDS);
            assertEquals("interrupted", signals.next());
            ExecutionException e = assertThrows(ExecutionException.class, future::get);
            assertInstanceOf(TimeoutException.class, e.getCause());
        }
    }

    @Test
    void interruptingInvokeInterruptsTheJavaTask() throws Exception {
        try (ProcessPool pool = pool(1);
                Signals signals = new Signals()) {
            CompletableFuture<Throwable> thrown = new CompletableFuture<>();
            Thread caller =
                    new Thread(
                            () -> {
                                try {
                                    pool.invoke(
                                            JavaTasks.BlockUntilInterrupted.class, signals.port());
                                    thrown.complete(null);
                                } catch (Throwable t) {
                                    thrown.complete(t);
                                }
                            });
            caller.start();
            SubmitAsyncJavaTest.pidOf(signals.next());
            caller.interrupt();
            assertInstanceOf(InterruptedException.class, thrown.get(60, TimeUnit.SECONDS));
            assertEquals("interrupted", signals.next());
            caller.join();
        }
    }
}
