package io.asynccpu.samples;

import io.asynccpu.JavaTask;
import io.asynccpu.PoolEvent;
import io.asynccpu.ProcessPool;
import io.asynccpu.logging.LogForwardingPools;
import io.asynccpu.logging.LogLevel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * Every feature family from Java: a Java initializer, log forwarding to a Java listener, warm-up,
 * map as a lazy Stream, a streaming task as a Flow.Publisher, broadcast and submitTo, progress from
 * a JavaTask, event listeners, and shutdownNow.
 *
 * <pre>
 * ./mvnw -q -pl samples -am -DskipTests -Ddemo -Ddemo.main=io.asynccpu.samples.JavaFeatures verify
 * </pre>
 */
public final class JavaFeatures {

    /** Runs once per worker before its first task: "loads a model" into a static field. */
    public static final class LoadModel implements JavaTask<String, Void> {
        static volatile String model = "none";

        @Override
        public Void call(String name) {
            org.slf4j.LoggerFactory.getLogger(LoadModel.class).info("loading {}", name);
            model = name;
            return null;
        }
    }

    public static final class Square implements JavaTask<Long, Long> {
        @Override
        public Long call(Long x) {
            return x * x;
        }
    }

    /** Reports its progress from Java. */
    public static final class Steps implements JavaTask<Integer, String> {
        @Override
        public String call(Integer steps) throws InterruptedException {
            for (int i = 1; i <= steps; i++) {
                Thread.sleep(50);
                JavaTask.reportProgress(
                        (double) i / steps, "step " + i + " with model " + LoadModel.model);
            }
            return "done";
        }
    }

    public static void main(String[] args) throws Exception {
        ProcessPool pool =
                ProcessPool.builder()
                        .maxWorkers(2)
                        .initializer(LoadModel.class, "model-v1")
                        .configure(
                                LogForwardingPools.forwardLogsTo(
                                        LogLevel.INFO,
                                        record ->
                                                System.out.println(
                                                        "[worker "
                                                                + record.getWorkerPid()
                                                                + " at "
                                                                + record.getTimestamp()
                                                                + "] "
                                                                + record.getMessage())))
                        .build();
        try (AutoCloseable events =
                pool.addEventListener(
                        event -> {
                            if (event instanceof PoolEvent.WorkerStarted started)
                                System.out.println("event: " + started);
                        })) {
            pool.warmUpAsync().join();

            try (Stream<Long> squares =
                    pool.map(
                            Square.class,
                            LongStream.rangeClosed(1, 10).boxed().collect(Collectors.toList()),
                            3,
                            4,
                            true)) {
                System.out.println("squares: " + squares.collect(Collectors.toList()));
            }

            CountDownLatch done = new CountDownLatch(1);
            pool.streamPublisher(new Primes(1_000_000))
                    .subscribe(
                            new Flow.Subscriber<Long>() {
                                private Flow.Subscription subscription;
                                private int seen;

                                public void onSubscribe(Flow.Subscription s) {
                                    subscription = s;
                                    s.request(1);
                                }

                                public void onNext(Long prime) {
                                    System.out.println("prime: " + prime);
                                    if (++seen == 5) {
                                        subscription.cancel();
                                        done.countDown();
                                    } else subscription.request(1);
                                }

                                public void onError(Throwable t) {
                                    t.printStackTrace();
                                    done.countDown();
                                }

                                public void onComplete() {
                                    done.countDown();
                                }
                            });
            done.await();

            List<String> loaded = pool.broadcastAsync(new LoadSquares(1_000)).join();
            System.out.println("broadcast: " + loaded);
            var worker = pool.workerReports().get(0).getWorker();
            System.out.println(
                    "on " + worker + ": " + pool.submitToAsync(worker, new SquareOf(12)).join());

            String result =
                    pool.submitWithProgressAsync(
                                    Steps.class,
                                    4,
                                    progress ->
                                            System.out.println(
                                                    "progress "
                                                            + progress.getValue()
                                                            + ": "
                                                            + progress.getMessage()))
                            .join();
            System.out.println("steps: " + result);
        } finally {
            pool.shutdownNowAsync().join();
        }
    }
}
