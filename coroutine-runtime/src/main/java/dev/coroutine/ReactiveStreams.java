package dev.coroutine;

import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * Bridges between async iterables and {@link java.util.concurrent.Flow} (Reactive Streams), both
 * ways and with back-pressure, so that Reactor, RxJava, Akka/Pekko Streams and the JDK's own {@code
 * HttpClient} body publishers and subscribers plug in (through their {@code Flow} adapters where
 * they speak {@code org.reactivestreams}).
 *
 * <ul>
 *   <li>{@link #toPublisher}: a publisher whose subscribers each run one iteration of an {@link
 *       AsyncIterable} on an event loop, pulling the next value only while they have demand ({@code
 *       request(n)}). An async generator's producer therefore runs exactly as far ahead as the
 *       subscriber asked.
 *   <li>{@link #fromPublisher}: an async iterable whose iterators each subscribe to a publisher and
 *       hand its items to {@code await(it.hasNext())}, requesting a bounded number ahead.
 * </ul>
 */
public final class ReactiveStreams {
  /** How many items {@link #fromPublisher(Flow.Publisher)} requests ahead. */
  public static final int DEFAULT_PREFETCH = 64;

  private ReactiveStreams() {}

  /**
   * A publisher of {@code source}'s values. Each subscriber gets its own iteration ({@code
   * source.iterator()}), run by a task of {@code loop}; every signal ({@code onSubscribe}, {@code
   * onNext}, {@code onError}, {@code onComplete}) is delivered on the loop's thread, in order. The
   * next value is asked for ({@code await(it.hasNext())}) only while the subscriber's demand is
   * positive, so an async generator never runs ahead of it; the end is found by asking past the
   * last value, so {@code onComplete} comes once the subscriber requested one more than there are
   * values ({@code onComplete} needs no demand, finding it does). {@code request(n)} and {@code
   * cancel()} may be called from any thread; cancelling closes the iteration (an async generator's
   * producer gets {@link GeneratorExitException} at its emit, or the cancellation where it waits,
   * and its {@code finally} blocks run). A failure of the source is signalled with {@code onError}.
   * A subscriber that throws from {@code onNext} is cancelled and its exception goes to the loop's
   * exception handler (Reactive Streams rule 2.13). On a closed loop, {@code subscribe} signals
   * {@code onError} with {@link IllegalStateException}.
   *
   * @param <T> the type of the values
   * @param source what to publish; iterated once per subscriber
   * @param loop the loop that runs the iterations and delivers the signals
   * @return a publisher of the values
   */
  public static <T> Flow.Publisher<T> toPublisher(
      AsyncIterable<? extends T> source, EventLoop loop) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(loop, "loop");
    return subscriber -> IterationSubscription.subscribe(source, loop, subscriber);
  }

  /**
   * {@link #fromPublisher(Flow.Publisher, int)} requesting {@link #DEFAULT_PREFETCH} items ahead.
   *
   * @param <T> the type of the items
   * @param publisher where the items come from; subscribed to once per iterator
   * @return an async iterable of the items
   */
  public static <T> AsyncIterable<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
    return fromPublisher(publisher, DEFAULT_PREFETCH);
  }

  /**
   * An async iterable of a publisher's items. Each iterator subscribes when its first {@code
   * hasNext()} is awaited (lazy), on the loop of the awaiting task; it requests {@code prefetch}
   * items, and, each time the consumer has taken three quarters of that, as many again, so at most
   * {@code prefetch} items wait in its buffer. Items may arrive on any thread; {@code hasNext()}
   * resumes on the loop's thread. {@code onError}'s exception is thrown at the {@code
   * await(it.hasNext())} after the items that came before it, unchanged; {@code onComplete} ends
   * the iteration. Closing the iterator early cancels the subscription.
   *
   * @param <T> the type of the items
   * @param publisher where the items come from; subscribed to once per iterator
   * @param prefetch how many items to request ahead, at least 1
   * @return an async iterable of the items
   */
  public static <T> AsyncIterable<T> fromPublisher(
      Flow.Publisher<? extends T> publisher, int prefetch) {
    Objects.requireNonNull(publisher, "publisher");
    if (prefetch <= 0) {
      throw new IllegalArgumentException("prefetch must be positive: " + prefetch);
    }
    return () -> new PublisherIteration<T>(publisher, prefetch);
  }
}
