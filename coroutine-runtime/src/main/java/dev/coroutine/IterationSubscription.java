package dev.coroutine;

import dev.coroutine.internal.RuntimeHandoff;
import dev.coroutine.internal.Steps;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscriber of {@link ReactiveStreams#toPublisher}: its subscription, and the task (a frame of
 * {@link #pump}) that iterates the source on the loop and signals the subscriber.
 *
 * <p>Invariant: {@link #demand} is what the subscriber requested minus what it was sent ({@code
 * Long.MAX_VALUE}: unbounded); the pump awaits {@code hasNext()} only while it is positive,
 * otherwise it waits on {@link #wake}, which a {@code request} that raises the demand from zero
 * completes from the loop. Every signal is sent from the loop's thread, none after a terminal one
 * or once {@link #cancelled} is seen; the iteration is closed on every way out.
 *
 * @param <T> the type of the values
 */
final class IterationSubscription<T> implements Flow.Subscription {
  /** Stage of the pump while it waits for demand. */
  private static final int WAITING_FOR_DEMAND = 1;

  /** Stage of the pump while it waits for the next value. */
  private static final int WAITING_FOR_VALUE = 2;

  /** The loop that runs the pump and sends the signals. */
  private final EventLoop loop;

  /** Whom the values go to. */
  private final Flow.Subscriber<? super T> subscriber;

  /** What is published. */
  private final AsyncIterable<? extends T> source;

  /** Requested and not yet sent; Long.MAX_VALUE for unbounded. Any thread adds, the pump takes. */
  private final AtomicLong demand = new AtomicLong();

  /** The subscriber cancelled (or broke a rule): the pump stops. */
  private volatile boolean cancelled;

  /** The iteration; set by the pump on the loop. */
  private AsyncIterator<? extends T> iterator;

  /** While the pump waits for demand: what it waits on. Loop thread only. */
  private Future<Void> wake;

  /** The task running the pump, once started. Loop thread only. */
  private Task<Object> task;

  /** A terminal signal was sent. Loop thread only. */
  private boolean terminated;

  private IterationSubscription(
      AsyncIterable<? extends T> source, EventLoop loop, Flow.Subscriber<? super T> subscriber) {
    this.source = source;
    this.loop = loop;
    this.subscriber = subscriber;
  }

  static <T> void subscribe(
      AsyncIterable<? extends T> source, EventLoop loop, Flow.Subscriber<? super T> subscriber) {
    if (subscriber == null) {
      throw new NullPointerException("subscriber (Reactive Streams rule 1.9)");
    }
    IterationSubscription<T> s = new IterationSubscription<>(source, loop, subscriber);
    RuntimeHandoff.handTo(
        loop, s::start, () -> s.refused(new IllegalStateException("event loop is closed")));
  }

  /** The loop is closed before the subscription started: the subscriber hears it at once. */
  private void refused(IllegalStateException closed) {
    subscriber.onSubscribe(this);
    cancelled = true;
    subscriber.onError(closed);
  }

  /** On the loop: onSubscribe, then the pump's task. */
  private void start() {
    try {
      subscriber.onSubscribe(this);
    } catch (Throwable t) {
      cancelled = true;
      report("onSubscribe", t);
      return;
    }
    if (cancelled || terminated) {
      return;
    }
    task = loop.createTask(new Pump<>(this).coroutine(), "publisher of " + source);
  }

  @Override
  public void request(long n) {
    if (n <= 0) {
      post(() -> badRequest(n));
      return;
    }
    long before;
    long after;
    do {
      before = demand.get();
      if (before == Long.MAX_VALUE) {
        return;
      }
      after = before + n;
      if (after < 0) {
        after = Long.MAX_VALUE; // rule 3.17: demand beyond Long.MAX_VALUE is unbounded
      }
    } while (!demand.compareAndSet(before, after));
    if (before == 0) {
      post(this::wakeUp);
    }
  }

  @Override
  public void cancel() {
    if (!cancelled) {
      cancelled = true;
      post(this::stop);
    }
  }

  /**
   * Runs {@code action} on the loop: later on its own thread (never inline: rule 3.3), or posted.
   */
  private void post(Runnable action) {
    try {
      if (EventLoop.runningOrNull() == loop) {
        loop.callSoon(action);
      } else {
        loop.callSoonThreadsafe((RuntimeHandoff) action::run); // a close first ends it all anyway
      }
    } catch (IllegalStateException closed) {
      // the loop is closed: nothing runs the iteration any more
    }
  }

  private void wakeUp() {
    Future<Void> w = wake;
    if (w != null && !w.isDone()) {
      w.setResult(null);
    }
  }

  private void stop() {
    if (task != null) {
      task.cancel(); // at its current await: the wait for demand, or inside the source
    }
  }

  /** Rule 3.9: a non-positive request is an error signalled with onError. */
  private void badRequest(long n) {
    if (terminated || cancelled) {
      return;
    }
    cancelled = true;
    stop();
    signalError(
        new IllegalArgumentException(
            "request(" + n + "): the number of items requested must be positive (rule 3.9)"));
  }

  /**
   * The pump, a hand-written coroutine ({@code internal.Steps}): starts the iteration, then awaits
   * demand ({@link #wake}) or the next value ({@code hasNext()}) in turn, until cancelled or done.
   */
  private static final class Pump<T> extends Steps<Object> {
    /** The subscription it feeds. */
    private final IterationSubscription<T> s;

    /** 0 before the start, else {@link #WAITING_FOR_DEMAND} or {@link #WAITING_FOR_VALUE}. */
    private int stage;

    Pump(IterationSubscription<T> s) {
      this.s = s;
    }

    @Override
    protected Object step(Object r, Throwable failure) {
      IterationSubscription<T> s = this.s;
      if (stage == 0) {
        try {
          s.iterator = s.source.iterator();
        } catch (Throwable t) {
          s.signalError(t);
          return null;
        }
      }
      while (true) {
        if (s.cancelled || s.terminated) {
          s.iterator.close(); // ends a parked generator (its finally blocks run in a task)
          return null;
        }
        if (stage == WAITING_FOR_VALUE) {
          if (failure != null) {
            s.signalError(failure);
            return null;
          }
          if (!(Boolean) r) {
            s.signalComplete();
            return null;
          }
          if (!s.deliver(s.iterator.next())) {
            return null;
          }
          if (s.cancelled) { // by the subscriber, inside onNext: the source takes no further step
            s.iterator.close();
            return null;
          }
        }
        // a failure while waiting for demand is the task's cancellation: `cancelled` tells
        if (s.demand.get() == 0) {
          Future<Void> w = new Future<>(s.loop);
          s.wake = w;
          stage = WAITING_FOR_DEMAND;
          return await(w); // pending: suspends until a request or a cancel
        }
        s.wake = null;
        stage = WAITING_FOR_VALUE;
        try {
          return await(s.iterator.hasNext());
        } catch (Throwable t) { // hasNext() itself threw: as a failed wait for the value
          r = null;
          failure = t;
        }
      }
    }
  }

  /** Sends one value, taking one from the demand; false if the subscriber broke rule 2.13. */
  private boolean deliver(T value) {
    demand.getAndUpdate(d -> d == Long.MAX_VALUE ? d : d - 1);
    try {
      subscriber.onNext(value);
      return true;
    } catch (Throwable t) {
      cancelled = true;
      iterator.close();
      report("onNext", t);
      return false;
    }
  }

  private void signalComplete() {
    terminated = true;
    iterator.close();
    try {
      subscriber.onComplete();
    } catch (Throwable t) {
      report("onComplete", t);
    }
  }

  private void signalError(Throwable failure) {
    terminated = true;
    if (iterator != null) {
      iterator.close();
    }
    try {
      subscriber.onError(failure);
    } catch (Throwable t) {
      report("onError", t);
    }
  }

  /** Rule 2.13: a subscriber that throws is cancelled, and its exception reported. */
  private void report(String signal, Throwable t) {
    loop.callExceptionHandler(
        new EventLoop.ErrorContext(
            "subscriber " + subscriber + " threw from " + signal + " (Reactive Streams rule 2.13)",
            t,
            task));
  }
}
