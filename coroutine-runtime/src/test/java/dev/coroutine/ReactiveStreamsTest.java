package dev.coroutine;

import static dev.coroutine.AsyncGeneratorTest.emitting;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link ReactiveStreams}: both bridges, rule by rule of the Reactive Streams specification (the
 * rule numbers are in the test names' comments), with the JDK's {@link SubmissionPublisher} as a
 * real publisher from other threads.
 */
class ReactiveStreamsTest extends TestBase {

  /** A subscriber that records its signals; requests {@code initial} in onSubscribe. */
  static class Recorder<T> implements Flow.Subscriber<T> {
    /** The signals, as text, in order. */
    final List<String> signals = new CopyOnWriteArrayList<>();

    /** The values received. */
    final List<T> values = new CopyOnWriteArrayList<>();

    /** The subscription. */
    volatile Flow.Subscription subscription;

    /** The terminal error, if any. */
    volatile Throwable error;

    /** Counted down at a terminal signal. */
    final CountDownLatch done = new CountDownLatch(1);

    /** What to request in onSubscribe. */
    private final long initial;

    Recorder(long initial) {
      this.initial = initial;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      signals.add("onSubscribe");
      subscription = s;
      if (initial > 0) {
        s.request(initial);
      }
    }

    @Override
    public void onNext(T item) {
      signals.add("onNext " + item);
      values.add(item);
    }

    @Override
    public void onError(Throwable t) {
      signals.add("onError " + t.getClass().getSimpleName());
      error = t;
      done.countDown();
    }

    @Override
    public void onComplete() {
      signals.add("onComplete");
      done.countDown();
    }
  }

  /** Runs the loop until {@code r} got a terminal signal (or the loop has nothing left to do). */
  private void runUntilTerminal(Recorder<?> r) {
    Task<Object> waiter =
        loop.createTask(
            Co.seq(
                v ->
                    Co.await(
                        Coroutines.toThread(
                            () -> {
                              r.done.await(30, TimeUnit.SECONDS);
                              return null;
                            }))));
    loop.runUntilComplete(waiter);
  }

  /** Runs the loop's ready callbacks and tasks for a few passes. */
  private void runPasses() {
    run(
        Co.seq(
            v -> Co.await(Coroutines.sleep(0)),
            v -> Co.await(Coroutines.sleep(0)),
            v -> Co.await(Coroutines.sleep(0))));
  }

  // ---- toPublisher ----------------------------------------------------------------------------

  @Test
  void toPublisher_sendsTheValuesInOrder_thenOnComplete_onSubscribeFirst() { // 1.3, 1.9
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(out -> emitting(out, new ArrayList<>(), 1, 2, 3)), loop);
    Recorder<Object> r = new Recorder<>(Long.MAX_VALUE);
    p.subscribe(r);
    runUntilTerminal(r);
    assertThat(r.signals)
        .containsExactly("onSubscribe", "onNext 1", "onNext 2", "onNext 3", "onComplete");
  }

  @Test
  void toPublisher_theGeneratorRunsOnlyAsFarAsRequested() { // 1.1, back-pressure
    List<String> log = new ArrayList<>();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(out -> emitting(out, log, "a", "b", "c")), loop);
    Recorder<Object> r = new Recorder<>(0);
    p.subscribe(r);
    runPasses();
    assertThat(log).isEmpty(); // subscribed, nothing requested: the producer has not started
    r.subscription.request(2);
    runPasses();
    assertThat(r.values).containsExactly("a", "b");
    assertThat(log).containsExactly("emit a", "resumed after a", "emit b"); // parked at b's emit
    r.subscription.request(5);
    runUntilTerminal(r);
    assertThat(r.signals).endsWith("onNext c", "onComplete");
  }

  @Test
  void toPublisher_demandAddsUpToUnbounded_withoutOverflow() { // 3.17
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(out -> emitting(out, new ArrayList<>(), 1, 2)), loop);
    Recorder<Object> r =
        new Recorder<>(Long.MAX_VALUE - 1) {
          @Override
          public void onSubscribe(Flow.Subscription s) {
            super.onSubscribe(s);
            s.request(Long.MAX_VALUE);
            s.request(Long.MAX_VALUE);
          }
        };
    p.subscribe(r);
    runUntilTerminal(r);
    assertThat(r.signals).containsExactly("onSubscribe", "onNext 1", "onNext 2", "onComplete");
  }

  @Test
  void toPublisher_aNonPositiveRequest_signalsIllegalArgument_andClosesTheGenerator() { // 3.9
    List<String> log = new ArrayList<>();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(out.emit(2)))
                        .onFinally(() -> log.add("producer finally"))
                        .build()),
            loop);
    Recorder<Object> r = new Recorder<>(1);
    p.subscribe(r);
    runPasses();
    r.subscription.request(0);
    runUntilTerminal(r);
    runPasses(); // the generator's close runs in a task of its own
    assertThat(r.signals)
        .containsExactly("onSubscribe", "onNext 1", "onError IllegalArgumentException");
    assertThat(r.error).hasMessageContaining("3.9");
    assertThat(log).containsExactly("producer finally");
  }

  @Test
  void toPublisher_cancel_endsTheProducer_noSignalAfter_andLaterCallsAreNoOps() { // 3.5, 3.6, 1.8
    List<String> log = new ArrayList<>();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(Coroutines.sleep(3_600_000)))
                        .onError(
                            e -> {
                              log.add("producer got " + e.getClass().getSimpleName());
                              throw e;
                            })
                        .build()),
            loop);
    Recorder<Object> r = new Recorder<>(5);
    p.subscribe(r);
    runPasses(); // got 1, the producer sleeps for more
    r.subscription.cancel();
    r.subscription.cancel();
    r.subscription.request(3);
    runPasses();
    assertThat(r.signals).containsExactly("onSubscribe", "onNext 1");
    assertThat(log).containsExactly("producer got CancellationException");
    assertThat(loop.pendingTasks()).isEmpty();
  }

  /**
   * A subscriber that cancels inside onNext stops the source where it is: the generator takes no
   * further step (before, it ran on to its next emit, with that step's side effects, before the
   * cancellation reached it).
   */
  @Test
  void toPublisher_cancelInsideOnNext_theSourceTakesNoFurtherStep() { // 3.5, 1.8
    List<String> log = new ArrayList<>();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out ->
                    Co.steps(
                            v -> Co.await(out.emit(1)),
                            v -> {
                              log.add("producer went on");
                              return Co.await(out.emit(2));
                            })
                        .onFinally(() -> log.add("producer finally"))
                        .build()),
            loop);
    Recorder<Object> r =
        new Recorder<>(Long.MAX_VALUE) {
          @Override
          public void onNext(Object item) {
            super.onNext(item);
            subscription.cancel();
          }
        };
    p.subscribe(r);
    runPasses();
    assertThat(r.signals).containsExactly("onSubscribe", "onNext 1");
    assertThat(log).containsExactly("producer finally");
    assertThat(loop.pendingTasks()).isEmpty();
  }

  @Test
  void toPublisher_aFailureOfTheSource_isSignalledWithOnError_unchanged() { // 1.4
    IllegalStateException boom = new IllegalStateException();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out ->
                    Co.seq(
                        v -> Co.await(out.emit(1)),
                        v -> {
                          throw boom;
                        })),
            loop);
    Recorder<Object> r = new Recorder<>(10);
    p.subscribe(r);
    runUntilTerminal(r);
    assertThat(r.signals)
        .containsExactly("onSubscribe", "onNext 1", "onError IllegalStateException");
    assertThat(r.error).isSameAs(boom);
  }

  @Test
  void toPublisher_aSubscriberThatThrowsFromOnNext_isCancelled_andTheErrorReported() { // 2.13
    List<String> log = new ArrayList<>();
    RuntimeException bad = new RuntimeException("bad subscriber");
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out ->
                    Co.steps(v -> Co.await(out.emit(1)), v -> Co.await(out.emit(2)))
                        .onFinally(() -> log.add("producer finally"))
                        .build()),
            loop);
    Recorder<Object> r =
        new Recorder<>(10) {
          @Override
          public void onNext(Object item) {
            super.onNext(item);
            throw bad;
          }
        };
    p.subscribe(r);
    runPasses();
    assertThat(r.signals).containsExactly("onSubscribe", "onNext 1");
    assertThat(log).containsExactly("producer finally");
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).exception()).isSameAs(bad);
    assertThat(loopErrors.get(0).message()).contains("2.13");
    loopErrors.clear();
  }

  @Test
  void toPublisher_subscribeNull_throwsNullPointer() { // 1.9
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(Coroutines.generate(out -> Coroutines.done()), loop);
    assertThatThrownBy(() -> p.subscribe(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void toPublisher_eachSubscriberRunsItsOwnIteration() {
    AtomicInteger runs = new AtomicInteger();
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(
            Coroutines.generate(
                out -> {
                  runs.incrementAndGet();
                  return emitting(out, new ArrayList<>(), "x");
                }),
            loop);
    // two: the end of a source is known only by asking past its last value
    Recorder<Object> a = new Recorder<>(2);
    Recorder<Object> b = new Recorder<>(2);
    p.subscribe(a);
    p.subscribe(b);
    runUntilTerminal(a);
    runUntilTerminal(b);
    assertThat(a.values).containsExactly("x");
    assertThat(b.values).containsExactly("x");
    assertThat(runs).hasValue(2);
  }

  @Test
  void toPublisher_requestsFromAnotherThread_oneAtATime_deliverEverything()
      throws Exception { // 2.7
    int n = 2_000;
    Flow.Publisher<Object> p =
        ReactiveStreams.toPublisher(Coroutines.generate(out -> loopEmit(out, n)), loop);
    Recorder<Object> r = new Recorder<>(0);
    p.subscribe(r);
    Thread requester =
        new Thread(
            () -> {
              while (r.subscription == null) {
                Thread.onSpinWait();
              }
              for (int i = 0; i < n + 1; i++) {
                r.subscription.request(1);
              }
            });
    requester.start();
    runUntilTerminal(r);
    requester.join();
    assertThat(r.values).hasSize(n);
    assertThat(r.values.get(n - 1)).isEqualTo(n - 1);
    assertThat(r.signals.get(r.signals.size() - 1)).isEqualTo("onComplete");
  }

  private static Coroutine<Object> loopEmit(Emitter<Object> out, int n) {
    AsyncFrame<Object> f = AsyncFrame.create(ReactiveStreamsTest::loopBody, 2, 0);
    f.refs[0] = out;
    f.refs[1] = new int[] {0, n};
    return f;
  }

  @SuppressWarnings("unchecked")
  private static Object loopBody(AsyncFrame<?> f) throws Throwable {
    Emitter<Object> out = (Emitter<Object>) f.refs[0];
    int[] i = (int[]) f.refs[1];
    if (f.label == 1) {
      f.resumed();
      i[0]++;
    }
    while (i[0] < i[1]) {
      Object r = AsyncFrame.await(out.emit(i[0]), f);
      if (r == AsyncFrame.SUSPEND) {
        f.label = 1;
        return r;
      }
      i[0]++;
    }
    return null;
  }

  @Test
  void toPublisher_onAClosedLoop_signalsOnErrorIllegalState() {
    EventLoop closed = new EventLoop();
    closed.close();
    Recorder<Object> r = new Recorder<>(1);
    ReactiveStreams.toPublisher(Coroutines.generate(out -> Coroutines.done()), closed).subscribe(r);
    assertThat(r.signals).containsExactly("onSubscribe", "onError IllegalStateException");
  }

  // ---- fromPublisher --------------------------------------------------------------------------

  /** A publisher under the test's control: records requests and cancels. */
  static final class ManualPublisher implements Flow.Publisher<Object> {
    /** The subscribers, in order. */
    final List<Flow.Subscriber<? super Object>> subscribers = new CopyOnWriteArrayList<>();

    /** Requests and cancels, as text. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(Flow.Subscriber<? super Object> s) {
      subscribers.add(s);
      s.onSubscribe(
          new Flow.Subscription() {
            @Override
            public void request(long n) {
              calls.add("request " + n);
            }

            @Override
            public void cancel() {
              calls.add("cancel");
            }
          });
    }
  }

  @Test
  void fromPublisher_itemsFromAnotherThread_arriveInOrder_untilClose() throws Exception {
    SubmissionPublisher<Integer> pub = new SubmissionPublisher<>();
    AsyncIterable<Integer> items = ReactiveStreams.fromPublisher(pub, 4);
    Thread submitter =
        new Thread(
            () -> {
              while (pub.getNumberOfSubscribers() == 0) {
                Thread.onSpinWait();
              }
              for (int i = 0; i < 1_000; i++) {
                pub.submit(i); // blocks while the subscriber's buffer is full: back-pressure
              }
              pub.close();
            });
    submitter.start();
    List<Integer> got = run(items.toList());
    submitter.join();
    assertThat(got).hasSize(1_000);
    for (int i = 0; i < 1_000; i++) {
      assertThat(got.get(i)).isEqualTo(i);
    }
  }

  @Test
  void fromPublisher_subscribesLazily_requestsThePrefetch_thenThreeQuartersAtATime() { // 1.1, 3.x
    ManualPublisher pub = new ManualPublisher();
    AsyncIterator<Object> it = ReactiveStreams.fromPublisher(pub, 8).iterator();
    assertThat(pub.subscribers).isEmpty();
    Task<Boolean> first = loop.createTask(it.hasNext());
    runPasses();
    assertThat(pub.calls).containsExactly("request 8");
    Flow.Subscriber<? super Object> s = pub.subscribers.get(0);
    for (int i = 0; i < 8; i++) {
      s.onNext(i);
    }
    assertThat(loop.runUntilComplete(first)).isTrue();
    List<Object> got = new ArrayList<>();
    got.add(it.next());
    for (int i = 1; i < 6; i++) {
      assertThat(run(it.hasNext())).isTrue();
      got.add(it.next());
    }
    assertThat(got).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(pub.calls).containsExactly("request 8", "request 6"); // after 6 of 8 taken
    it.close();
    assertThat(pub.calls).containsExactly("request 8", "request 6", "cancel");
  }

  /**
   * An item arrives from another thread while the loop is stopped, then the loop closes before it
   * looks: the subscription is cancelled (the publisher stops), and nothing is reported as a
   * callback of the user's that close() dropped. The subscription stayed open, and the hand-off was
   * reported by the name of a lambda of PublisherIteration.
   */
  @Test
  void fromPublisher_loopClosedWithAnItemWaiting_cancelsTheSubscription() throws Exception {
    ManualPublisher pub = new ManualPublisher();
    AsyncIterator<Object> it = ReactiveStreams.fromPublisher(pub, 8).iterator();
    loop.createTask(it.hasNext());
    runPasses();
    assertThat(pub.calls).containsExactly("request 8");
    Thread producer = new Thread(() -> pub.subscribers.get(0).onNext("x"));
    producer.start();
    producer.join();
    loop.close();
    assertThat(pub.calls).containsExactly("request 8", "cancel");
    assertThat(loopErrors).isEmpty();
  }

  @Test
  void fromPublisher_onError_isThrownAfterTheItemsBeforeIt_thenTheIterationEnds() { // 1.4
    ManualPublisher pub = new ManualPublisher();
    IllegalStateException boom = new IllegalStateException();
    AsyncIterator<Object> it = ReactiveStreams.fromPublisher(pub).iterator();
    Task<Boolean> first = loop.createTask(it.hasNext());
    runPasses();
    pub.subscribers.get(0).onNext("a");
    pub.subscribers.get(0).onError(boom);
    assertThat(loop.runUntilComplete(first)).isTrue();
    assertThat(it.next()).isEqualTo("a");
    assertThatThrownBy(() -> run(it.hasNext())).isSameAs(boom);
    assertThat(run(it.hasNext())).isFalse();
  }

  @Test
  void fromPublisher_aSecondOnSubscribe_isCancelled_andNullSignalsThrow() { // 2.5, 2.13
    ManualPublisher pub = new ManualPublisher();
    AsyncIterator<Object> it = ReactiveStreams.fromPublisher(pub).iterator();
    loop.createTask(it.hasNext());
    runPasses();
    Flow.Subscriber<? super Object> s = pub.subscribers.get(0);
    AtomicReference<String> second = new AtomicReference<>("not cancelled");
    s.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            second.set("requested");
          }

          @Override
          public void cancel() {
            second.set("cancelled");
          }
        });
    assertThat(second).hasValue("cancelled");
    assertThatThrownBy(() -> s.onNext(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> s.onError(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> s.onSubscribe(null)).isInstanceOf(NullPointerException.class);
    s.onComplete();
    runPasses();
  }

  @Test
  void fromPublisher_aPublisherThatThrowsFromSubscribe_failsTheFirstHasNext_thenTheIterationEnds() {
    IllegalStateException broken = new IllegalStateException("broken publisher");
    Flow.Publisher<Object> pub =
        s -> {
          throw broken;
        };
    AsyncIterator<Object> it = ReactiveStreams.fromPublisher(pub).iterator();
    assertThatThrownBy(() -> run(it.hasNext())).isSameAs(broken);
    assertThat(run(it.hasNext())).isFalse();
  }

  @Test
  void fromPublisher_ofToPublisher_roundTrips_andAnEarlyCloseEndsTheProducer() {
    List<String> log = new ArrayList<>();
    AsyncIterable<Object> gen =
        Coroutines.generate(
            out ->
                Co.steps(
                        v -> Co.await(out.emit(1)),
                        v -> Co.await(out.emit(2)),
                        v -> Co.await(out.emit(3)))
                    .onFinally(() -> log.add("producer finally"))
                    .build());
    AsyncIterable<Object> back =
        ReactiveStreams.fromPublisher(ReactiveStreams.toPublisher(gen, loop), 2);
    assertThat(run(back.toList())).containsExactly(1, 2, 3);
    assertThat(log).containsExactly("producer finally");
    log.clear();
    AsyncIterator<Object> it = back.iterator();
    assertThat(run(it.hasNext())).isTrue();
    assertThat(it.next()).isEqualTo(1);
    it.close(); // cancels the subscription: the pump closes the generator
    runPasses();
    assertThat(log).containsExactly("producer finally");
  }

  /**
   * An item handed to a waiting hasNext() whose task is cancelled before it resumes is not lost:
   * the next hasNext() gets it (found from outside).
   */
  @Test
  void itemHandedToACancelledWait_goesToTheNextOne() {
    List<Flow.Subscriber<? super String>> subscriber = new ArrayList<>();
    Flow.Publisher<String> pub =
        s -> {
          subscriber.add(s);
          s.onSubscribe(
              new Flow.Subscription() {
                @Override
                public void request(long n) {}

                @Override
                public void cancel() {}
              });
        };
    AsyncIterator<String> it = ReactiveStreams.fromPublisher(pub).iterator();
    Task<Object> t = loop.createTask(Co.awaiting(it.hasNext()));
    loop.runUntilComplete(Coroutines.sleep(5));
    loop.callSoon(
        () -> {
          subscriber.get(0).onNext("one");
          loop.callSoon(t::cancel); // the pass the item is handed over in, after it
        });
    loop.runUntilComplete(Coroutines.sleep(5));
    assertThat(t.isCancelled()).isTrue();
    subscriber.get(0).onNext("two");
    Object next = loop.runUntilComplete(Co.seq(v -> Co.await(it.hasNext()), v -> it.next()));
    assertThat(next).isEqualTo("one");
  }
}
