package io.asynccpu.internal.future

import java.util.concurrent.Flow as JFlow
import java.util.concurrent.atomic.AtomicLong
import java.util.function.Consumer
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.launch

/**
 * A Kotlin `Flow` as a `java.util.concurrent.Flow.Publisher` with back-pressure: each subscriber gets its own
 * collection, which emits only as many items as the subscriber requested and otherwise suspends (so a cold flow such as
 * `ProcessPool.stream` slows the worker down through its credit).
 *
 * Signals to one subscriber come from its collecting coroutine, one at a time and in order: `onSubscribe`, then
 * `onNext`s, then one `onComplete` or `onError`. `cancel()` cancels the collection (and so the remote task); a
 * non-positive `request(n)` ends it with `onError` (`IllegalArgumentException`, rule 3.9). The collection starts
 * undispatched, so a hot flow's subscriber is registered by the time `subscribe` returns.
 */
internal class FlowPublisher<T>(private val flow: Flow<T>) : JFlow.Publisher<T> {
    override fun subscribe(subscriber: JFlow.Subscriber<in T>) {
        val subscription = FlowSubscription(flow, subscriber)
        subscriber.onSubscribe(subscription)
        subscription.start()
    }

    companion object {
        /** Calls [listener] with each item of the hot [flow] until the returned handle is closed. */
        fun <T> listen(flow: Flow<T>, listener: Consumer<in T>): AutoCloseable {
            val subscription = FlowSubscription(flow, ListenerSubscriber(listener))
            subscription.request(Long.MAX_VALUE)
            subscription.start()
            return AutoCloseable { subscription.cancel() }
        }
    }
}

private class FlowSubscription<T>(private val flow: Flow<T>, private val subscriber: JFlow.Subscriber<in T>) :
    JFlow.Subscription {
    private val requested = AtomicLong()
    private val wake = Channel<Unit>(Channel.CONFLATED)
    private val parent = Job(JavaScope.coroutineContext[Job])

    @Volatile private var badRequest: Long? = null

    fun start() {
        // Undispatched: a hot flow registers its collector before subscribe() returns.
        CoroutineScope(JavaScope.coroutineContext + parent).launch(start = CoroutineStart.UNDISPATCHED) {
            val failure =
                try {
                    flow.collect { item ->
                        while (requested.get() == 0L) wake.receive()
                        if (requested.get() != Long.MAX_VALUE) requested.decrementAndGet()
                        subscriber.onNext(item)
                    }
                    null
                } catch (e: CancellationException) {
                    val n = badRequest ?: return@launch
                    IllegalArgumentException("Flow.Subscription.request(n) needs n > 0 (rule 3.9), was $n")
                } catch (e: Throwable) {
                    e
                }
            if (failure == null) subscriber.onComplete() else subscriber.onError(failure)
            parent.complete()
        }
    }

    override fun request(n: Long) {
        if (n <= 0) {
            badRequest = n
            parent.cancel()
            return
        }
        requested.getAndAccumulate(n) { a, b -> if (a + b < 0) Long.MAX_VALUE else a + b }
        wake.trySend(Unit)
    }

    override fun cancel() {
        parent.cancel()
    }
}

private class ListenerSubscriber<T>(private val listener: Consumer<in T>) : JFlow.Subscriber<T> {
    override fun onSubscribe(subscription: JFlow.Subscription) {}

    override fun onNext(item: T) = listener.accept(item)

    override fun onError(throwable: Throwable) {
        System.err.println("asynccpu: an event listener failed and was removed: $throwable")
    }

    override fun onComplete() {}
}
