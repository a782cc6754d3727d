package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.CountStream;
import io.asynccpu.EndlessStream;
import io.asynccpu.InitTask;
import io.asynccpu.PidTask;
import io.asynccpu.PoolEvent;
import io.asynccpu.ProcessPool;
import io.asynccpu.ProcessPoolConfig;
import io.asynccpu.Progress;
import io.asynccpu.ReadStateTask;
import io.asynccpu.SumOfSquares;
import io.asynccpu.TaskEncodingException;
import io.asynccpu.WorkerInfo;
import io.asynccpu.WorkerReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every feature through the Java facade (JavaCalls, the Java builder), against real workers. */
class JavaFacadeJavaTest {
    static final long WAIT = 60;

    static ProcessPool pool(int workers) {
        return ProcessPool.builder().maxWorkers(workers).build();
    }

    @Test
    void mapReturnsALazyOrderedStreamOfAJavaTasksOutputs() {
        try (ProcessPool pool = pool(2);
                Stream<Long> squares =
                        pool.map(
                                FacadeTasks.Square.class,
                                LongStream.range(0, 100).boxed().collect(Collectors.toList()),
                                7,
                                3,
                                true)) {
            assertEquals(
                    LongStream.range(0, 100).map(x -> x * x).boxed().collect(Collectors.toList()),
                    squares.collect(Collectors.toList()));
        }
    }

    @Test
    void unorderedMapYieldsEveryOutputOnce() {
        try (ProcessPool pool = pool(2);
                Stream<Long> squares =
                        pool.map(
                                FacadeTasks.Square.class,
                                LongStream.range(0, 50).boxed().iterator(),
                                4,
                                4,
                                false)) {
            Set<Long> got = squares.collect(Collectors.toCollection(TreeSet::new));
            assertEquals(
                    LongStream.range(0, 50)
                            .map(x -> x * x)
                            .boxed()
                            .collect(Collectors.toCollection(TreeSet::new)),
                    got);
        }
    }

    @Test
    void mapOverAnEndlessIteratorReadsOnlyWhatTheStreamConsumes() {
        try (ProcessPool pool = pool(1);
                Stream<Long> squares =
                        pool.map(
                                FacadeTasks.Square.class,
                                Stream.iterate(1L, x -> x + 1).iterator(),
                                10,
                                2,
                                true)) {
            assertEquals(List.of(1L, 4L, 9L), squares.limit(3).collect(Collectors.toList()));
        }
    }

    @Test
    void mapYieldsTheOutputsBeforeAFailingElementThenItsException() {
        List<Integer> got = new ArrayList<>();
        try (ProcessPool pool = pool(1);
                Stream<Integer> doubled =
                        pool.map(
                                FacadeTasks.FailAtSeven.class,
                                IntStream.range(0, 10).boxed().collect(Collectors.toList()),
                                3,
                                2,
                                true)) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> doubled.forEach(got::add));
            assertEquals("no sevens", e.getMessage());
        }
        assertEquals(List.of(0, 2, 4, 6, 8, 10, 12), got);
    }

    @Test
    void mapRefusesAnUnsupportedTypeAtTheCall() {
        try (ProcessPool pool = pool(1)) {
            assertThrows(
                    TaskEncodingException.class,
                    () ->
                            pool.map(
                                    JavaTasks.Schedule.class,
                                    List.<List<JavaTasks.Meeting>>of(),
                                    1,
                                    1,
                                    true));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> pool.map(FacadeTasks.Square.class, List.of(1L), 0, 1, true));
        }
    }

    @Test
    void streamPublisherHonoursDemandAndCompletes() throws Exception {
        try (ProcessPool pool = pool(1)) {
            BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
            AtomicSubscription subscription = new AtomicSubscription();
            pool.streamPublisher(new CountStream(5, -1), 2)
                    .subscribe(
                            new Flow.Subscriber<Integer>() {
                                public void onSubscribe(Flow.Subscription s) {
                                    subscription.set(s);
                                }

                                public void onNext(Integer item) {
                                    signals.add(item);
                                }

                                public void onError(Throwable t) {
                                    signals.add(t);
                                }

                                public void onComplete() {
                                    signals.add("complete");
                                }
                            });
            subscription.get().request(2);
            assertEquals(0, signals.poll(WAIT, TimeUnit.SECONDS));
            assertEquals(1, signals.poll(WAIT, TimeUnit.SECONDS));
            // Nothing more arrives until more is requested (checked at the end: the third item is
            // 2, in order).
            subscription.get().request(Long.MAX_VALUE);
            assertEquals(
                    List.of(2, 3, 4, "complete"),
                    List.of(
                            signals.poll(WAIT, TimeUnit.SECONDS),
                            signals.poll(WAIT, TimeUnit.SECONDS),
                            signals.poll(WAIT, TimeUnit.SECONDS),
                            signals.poll(WAIT, TimeUnit.SECONDS)));
        }
    }

    @Test
    void streamPublisherDeliversAFailureAfterTheItemsBeforeIt() throws Exception {
        try (ProcessPool pool = pool(1)) {
            CollectingSubscriber<Integer> subscriber = new CollectingSubscriber<>();
            pool.streamPublisher(new CountStream(5, 3)).subscribe(subscriber);
            assertTrue(subscriber.done.await(WAIT, TimeUnit.SECONDS));
            assertEquals(List.of(0, 1, 2), subscriber.items);
            assertInstanceOf(IllegalArgumentException.class, subscriber.error);
        }
    }

    @Test
    void cancellingAStreamSubscriptionCancelsTheRemoteFlow() throws Exception {
        io.asynccpu.LineLatch lines = new io.asynccpu.LineLatch();
        try (ProcessPool pool = ProcessPool.builder().maxWorkers(1).workerOutput(lines).build()) {
            AtomicSubscription subscription = new AtomicSubscription();
            CountDownLatch first = new CountDownLatch(1);
            pool.streamPublisher(new EndlessStream("endless"))
                    .subscribe(
                            new Flow.Subscriber<Long>() {
                                public void onSubscribe(Flow.Subscription s) {
                                    subscription.set(s);
                                    s.request(1);
                                }

                                public void onNext(Long item) {
                                    first.countDown();
                                }

                                public void onError(Throwable t) {}

                                public void onComplete() {}
                            });
            assertTrue(first.await(WAIT, TimeUnit.SECONDS));
            subscription.get().cancel();
            // The worker is free again: the endless flow was cancelled there.
            assertEquals(285L, pool.submitAsync(new SumOfSquares(10)).get(WAIT, TimeUnit.SECONDS));
        }
    }

    @Test
    void eventsReachAListenerAndAPublisher() throws Exception {
        try (ProcessPool pool = pool(1)) {
            List<PoolEvent> heard = new CopyOnWriteArrayList<>();
            CountDownLatch finished = new CountDownLatch(1);
            CollectingSubscriber<PoolEvent> published = new CollectingSubscriber<>();
            pool.eventPublisher().subscribe(published);
            try (AutoCloseable listening =
                    pool.addEventListener(
                            event -> {
                                heard.add(event);
                                if (event instanceof PoolEvent.TaskFinished) finished.countDown();
                            })) {
                pool.invoke(new SumOfSquares(3));
                assertTrue(finished.await(WAIT, TimeUnit.SECONDS));
            }
            PoolEvent.TaskFinished done =
                    heard.stream()
                            .filter(PoolEvent.TaskFinished.class::isInstance)
                            .map(PoolEvent.TaskFinished.class::cast)
                            .findFirst()
                            .orElseThrow();
            Duration run = done.getRunTime(); // java.time, not a mangled kotlin.time getter
            Duration queued = done.getQueuedTime();
            assertFalse(run.isNegative());
            assertFalse(queued.isNegative());
            assertTrue(published.waitFor(PoolEvent.TaskFinished.class));
        }
    }

    @Test
    void progressFromAJavaTaskReachesTheListenerBeforeTheResult() throws Exception {
        try (ProcessPool pool = pool(1)) {
            List<Progress> reports = new CopyOnWriteArrayList<>();
            String result =
                    pool.submitWithProgressAsync(FacadeTasks.Steps.class, 4, reports::add)
                            .get(WAIT, TimeUnit.SECONDS);
            assertEquals("done 4", result);
            assertEquals(1.0, reports.get(reports.size() - 1).getValue());
            assertEquals("step 4 of 4", reports.get(reports.size() - 1).getMessage());
        }
    }

    @Test
    void broadcastSubmitToWarmUpAndTestAreFutures() throws Exception {
        try (ProcessPool pool = pool(2)) {
            pool.testAsync().get(WAIT, TimeUnit.SECONDS);
            pool.warmUpAsync().get(WAIT, TimeUnit.SECONDS);
            List<WorkerReport> reports = pool.workerReports();
            assertEquals(2, reports.size());
            List<?> answers =
                    pool.broadcastAsync(new InitTask("java", "")).get(WAIT, TimeUnit.SECONDS);
            assertEquals(2, answers.size());
            for (WorkerReport report : reports) {
                WorkerInfo worker = report.getWorker();
                assertEquals(
                        worker.getPid(),
                        pool.submitToAsync(worker, new PidTask()).get(WAIT, TimeUnit.SECONDS));
                assertEquals(
                        "java",
                        pool.submitToAsync(worker, new ReadStateTask("init"))
                                .get(WAIT, TimeUnit.SECONDS));
                Duration cpu =
                        report.getCpuTime(); // java.time; null where the system does not tell
                assertTrue(cpu == null || !cpu.isNegative());
            }
        }
    }

    @Test
    void aJavaInitializerRunsOncePerWorkerAndAJavaFinalizerWhenItRetires(@TempDir Path dir)
            throws Exception {
        Path exits = dir.resolve("exits.txt");
        ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(1)
                        .initializer(FacadeTasks.LoadModel.class, "m1")
                        .finalizer(FacadeTasks.RecordExit.class, exits.toString())
                        .build();
        try (pool) {
            assertEquals(
                    "model m1 loaded 1 time(s)", pool.invoke(FacadeTasks.UseModel.class, null));
            assertEquals(
                    "model m1 loaded 1 time(s)", pool.invoke(FacadeTasks.UseModel.class, null));
        }
        assertEquals(1, Files.readAllLines(exits).size());
    }

    @Test
    void configGettersAreJavaTimeAndShutdownAsyncStopsThePool() throws Exception {
        ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(1)
                        .cancelGracePeriod(Duration.ofSeconds(3))
                        .shutdownTimeout(Duration.ofSeconds(4))
                        .idleTimeout(Duration.ofMinutes(5))
                        .build();
        ProcessPoolConfig config = pool.getConfig();
        assertEquals(Duration.ofSeconds(3), config.getCancelGracePeriod());
        assertEquals(Duration.ofSeconds(4), config.getShutdownTimeout());
        assertEquals(Duration.ofMinutes(5), config.getIdleTimeout());
        CompletableFuture<Long> running = pool.submitAsync(new SumOfSquares(3));
        pool.shutdownAsync().get(WAIT, TimeUnit.SECONDS);
        assertEquals(5L, running.join());
        assertThrows(
                io.asynccpu.PoolClosedException.class, () -> pool.submitAsync(new SumOfSquares(1)));
    }

    @Test
    void shutdownNowAsyncCancelsWhatIsQueuedAndRunning() throws Exception {
        ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(1)
                        .cancelGracePeriod(Duration.ofSeconds(1))
                        .build();
        CompletableFuture<String> running =
                pool.submitAsync(new io.asynccpu.BlockingSleepTask(600_000));
        CompletableFuture<Long> queued = pool.submitAsync(new SumOfSquares(3));
        pool.shutdownNowAsync().get(WAIT, TimeUnit.SECONDS);
        assertTrue(queued.isCompletedExceptionally());
        assertTrue(running.isCompletedExceptionally());
    }

    static final class AtomicSubscription {
        private volatile Flow.Subscription subscription;

        void set(Flow.Subscription s) {
            subscription = s;
        }

        Flow.Subscription get() {
            return subscription;
        }
    }

    static final class CollectingSubscriber<T> implements Flow.Subscriber<T> {
        final List<T> items = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch done = new CountDownLatch(1);
        volatile Throwable error;

        public void onSubscribe(Flow.Subscription s) {
            s.request(Long.MAX_VALUE);
        }

        public void onNext(T item) {
            items.add(item);
        }

        public void onError(Throwable t) {
            error = t;
            done.countDown();
        }

        public void onComplete() {
            done.countDown();
        }

        boolean waitFor(Class<?> type) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (System.nanoTime() < deadline) {
                synchronized (items) {
                    if (items.stream().anyMatch(type::isInstance)) return true;
                }
                Thread.sleep(20);
            }
            return false;
        }
    }
}
