package dev.coroutine;

import dev.coroutine.internal.ResultHandOver;
import dev.coroutine.internal.RuntimeHandoff;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One iterator of {@link ReactiveStreams#fromPublisher}: a subscription to the publisher whose
 * items wait in a buffer until {@code hasNext()} takes them.
 *
 * <p>Invariant: at most {@link #prefetch} items are requested and not yet taken (the publisher
 * sends no more than requested: rule 1.1), so {@link #items} holds at most that many. The
 * publisher's signals may come from any thread: they only add to {@link #items} or set {@link
 * #error}/{@link #completed}, then post one {@link #drain} to the loop (at most one in flight,
 * {@link #drainPosted}); everything else runs on the loop's thread. A waiting {@code hasNext()}
 * waits on {@link #pending}, which {@link #drain} completes with the next item, {@link #END}, or
 * the error. Terminal signals are read only once the items before them are taken.
 *
 * @param <T> the type of the items
 */
final class PublisherIteration<T> extends PullIterator<T> {
  /** The result of {@link #pending} that ends the iteration. */
  private static final Object END = new Object();

  /** Where the items come from. */
  private final Flow.Publisher<? extends T> publisher;

  /** How many items are requested ahead. */
  private final int prefetch;

  /** After taking this many items, request as many again (three quarters of {@link #prefetch}). */
  private final int replenishAt;

  /** Items received and not yet taken, in order. */
  private final ConcurrentLinkedQueue<T> items = new ConcurrentLinkedQueue<>();

  /** The subscription, once onSubscribe came. */
  private final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();

  /** A drain is posted to the loop and has not started yet. */
  private final AtomicBoolean drainPosted = new AtomicBoolean();

  /** onError's exception. */
  private volatile Throwable error;

  /** onComplete came. */
  private volatile boolean completed;

  /** The iteration ended or was closed: a late subscription is cancelled at once. */
  private volatile boolean closed;

  /** The loop of the task that first asked; set when subscribing. */
  private EventLoop loop;

  /** What a waiting hasNext() waits on, or null. Loop thread only. */
  private Future<Object> pending;

  /** Items taken since the last request. Loop thread only. */
  private int taken;

  /** An item handed out but dropped by a cancelled consumer: the next one. Loop thread only. */
  private T returned;

  /** The error was thrown to the consumer once: the iteration is over. Loop thread only. */
  private boolean errorDelivered;

  PublisherIteration(Flow.Publisher<? extends T> publisher, int prefetch) {
    this.publisher = publisher;
    this.prefetch = prefetch;
    this.replenishAt = Math.max(1, prefetch - (prefetch >> 2));
  }

  @Override
  @SuppressWarnings("unchecked")
  protected Awaitable<? extends T> fetch() {
    if (loop == null) {
      loop = EventLoop.running();
      try {
        publisher.subscribe(new Receiver(loop));
      } catch (RuntimeException | Error e) {
        error = e; // a publisher that throws from subscribe (rule 1.9 broken): thrown here, once
        errorDelivered = true;
        throw e;
      }
    }
    T back = returned;
    if (back != null) {
      returned = null; // taken (and counted) once already
      return new DoneCoroutine<>(back);
    }
    T item = items.poll();
    if (item != null) {
      took();
      return new DoneCoroutine<>(item);
    }
    if (completed || error != null) {
      return terminal();
    }
    Future<Object> p = new Pending();
    pending = p;
    return (Awaitable<? extends T>) (Awaitable<?>) p;
  }

  @Override
  protected boolean isEnd(T item) {
    return item == END;
  }

  @Override
  protected void onEnd() {
    closed = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel(); // a no-op after a terminal signal (rule 3.7)
    }
    items.clear();
  }

  /** After the terminal signal: null to end, or the error (thrown once). */
  private Awaitable<? extends T> terminal() {
    Throwable e = error;
    if (e == null || errorDelivered) {
      return null;
    }
    errorDelivered = true;
    throw Sneaky.rethrow(e);
  }

  /** One item is taken: request more once three quarters of the prefetch are. */
  private void took() {
    if (++taken >= replenishAt) {
      int n = taken;
      taken = 0;
      subscription.get().request(n);
    }
  }

  /**
   * A waiting hasNext()'s future: an item (or the error) it was handed goes back first in line if
   * its task, cancelled before it resumed, dropped it (see {@link ResultHandOver}; found from
   * outside: the item was lost).
   */
  private final class Pending extends Future<Object> implements ResultHandOver {
    Pending() {
      super(PublisherIteration.this.loop);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void outcomeDropped() {
      if (isCancelled()) {
        return;
      }
      if (exception() != null) {
        errorDelivered = false; // thrown at the next hasNext() instead
      } else if (result() != END) {
        returned = (T) result();
      }
    }
  }

  /** On the loop: hands the next item, the end, or the error to a waiting hasNext(). */
  private void drain() {
    drainPosted.set(false);
    Future<Object> p = pending;
    if (p == null || p.isDone()) {
      pending = null; // nobody waits (or the wait was cancelled): the items stay for the next
      return;
    }
    T item = items.poll();
    if (item != null) {
      pending = null;
      took();
      p.setResult(item);
    } else if (completed || error != null) {
      pending = null;
      Throwable e = error;
      if (e == null || errorDelivered) {
        p.setResult(END);
      } else {
        errorDelivered = true;
        p.setException(e);
      }
    }
  }

  /** From a signal, on any thread: lets {@code loop} look at what came. */
  private void signalled(EventLoop loop) {
    if (drainPosted.compareAndSet(false, true)) {
      RuntimeHandoff.handTo(loop, this::drain, this::abandon); // closed first: abandon
    }
  }

  /** The loop is closed: nobody will take the items, so the publisher is told to stop. */
  private void abandon() {
    closed = true;
    Flow.Subscription s = subscription.get();
    if (s != null) {
      s.cancel();
    }
  }

  /** The subscriber the publisher sees; its methods may be called on any thread. */
  private final class Receiver implements Flow.Subscriber<T> {
    /** The loop of the iteration (a final field: safely seen from the publisher's threads). */
    private final EventLoop loop;

    Receiver(EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      if (s == null) {
        throw new NullPointerException("subscription (Reactive Streams rule 2.13)");
      }
      if (!subscription.compareAndSet(null, s)) {
        s.cancel(); // rule 2.5: a second subscription is refused
        return;
      }
      if (closed) {
        s.cancel();
        return;
      }
      s.request(prefetch);
    }

    @Override
    public void onNext(T item) {
      if (item == null) {
        throw new NullPointerException("onNext(null) (Reactive Streams rule 2.13)");
      }
      if (closed) {
        return;
      }
      items.add(item);
      signalled(loop);
    }

    @Override
    public void onError(Throwable t) {
      if (t == null) {
        throw new NullPointerException("onError(null) (Reactive Streams rule 2.13)");
      }
      error = t;
      signalled(loop);
    }

    @Override
    public void onComplete() {
      completed = true;
      signalled(loop);
    }

    @Override
    public String toString() {
      return "async iteration of " + publisher;
    }
  }
}
