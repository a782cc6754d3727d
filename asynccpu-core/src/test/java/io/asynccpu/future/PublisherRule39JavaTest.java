package io.asynccpu.future;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.asynccpu.EndlessStream;
import io.asynccpu.PoolEvent;
import io.asynccpu.ProcessPool;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Reactive Streams rule 3.9: request(n <= 0) makes the publisher signal
 * onError(IllegalArgumentException).
 */
class PublisherRule39JavaTest {

    /** Requests [n] once on subscribe and records the terminal signal. */
    static final class BadRequester<T> implements Flow.Subscriber<T> {
        private final long n;
        final CountDownLatch terminated = new CountDownLatch(1);
        volatile Throwable error;

        BadRequester(long n) {
            this.n = n;
        }

        public void onSubscribe(Flow.Subscription s) {
            s.request(n);
        }

        public void onNext(T item) {}

        public void onError(Throwable t) {
            error = t;
            terminated.countDown();
        }

        public void onComplete() {
            terminated.countDown();
        }
    }

    @Test
    void streamPublisherSignalsIllegalArgumentOnRequestZero() throws Exception {
        try (ProcessPool pool = JavaFacadeJavaTest.pool(1)) {
            BadRequester<Long> subscriber = new BadRequester<>(0);
            pool.streamPublisher(new EndlessStream("rule39")).subscribe(subscriber);
            assertTrue(subscriber.terminated.await(JavaFacadeJavaTest.WAIT, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, subscriber.error);
            assertTrue(
                    subscriber.error.getMessage().contains("3.9"), subscriber.error.getMessage());
        }
    }

    @Test
    void eventPublisherSignalsIllegalArgumentOnNegativeRequest() throws Exception {
        try (ProcessPool pool = JavaFacadeJavaTest.pool(1)) {
            BadRequester<PoolEvent> subscriber = new BadRequester<>(-1);
            pool.eventPublisher().subscribe(subscriber);
            assertTrue(subscriber.terminated.await(JavaFacadeJavaTest.WAIT, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, subscriber.error);
            assertTrue(
                    subscriber.error.getMessage().contains("was -1"),
                    subscriber.error.getMessage());
        }
    }
}
