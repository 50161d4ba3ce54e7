package dev.coroutine;

import static dev.coroutine.GatherTest.after;
import static dev.coroutine.GatherTest.failAfter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.io.Datagram;
import dev.coroutine.io.DatagramEndpoint;
import dev.coroutine.io.Datagrams;
import dev.coroutine.io.LimitOverrunException;
import dev.coroutine.io.StreamReader;
import dev.coroutine.sync.Queue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The runtime's own sources as async iterables ({@link PullIterator}): a {@link Queue}, a {@link
 * StreamReader}'s lines, a {@link DatagramEndpoint}'s datagrams, {@link
 * Coroutines#asCompletedFutures}.
 */
class AsyncSourcesTest extends TestBase {

  /** Takes every value of {@code it} into {@code got}, then returns "end". */
  static Coroutine<Object> drainAll(AsyncIterator<?> it, List<Object> got) {
    return Co.seq(
        v -> Co.await(it.hasNext()),
        v -> {
          if (!(Boolean) v) {
            return "end";
          }
          got.add(it.next());
          return Co.await(drainAll(it, got));
        });
  }

  @Test
  void queue_iteratesItemsAsTheyArrive_untilShutDownAndEmpty() {
    Queue<String> q = new Queue<>();
    List<Object> got = new ArrayList<>();
    loop.callLater(
        0.001,
        () -> {
          q.putNowait("a");
          q.putNowait(null); // a null item is an item
          loop.callLater(
              0.001,
              () -> {
                q.putNowait("b");
                q.shutdown(false); // "b" is still handed out
              });
        });
    assertThat(run(drainAll(q.iterator(), got))).isEqualTo("end");
    assertThat(got).containsExactly("a", null, "b");
  }

  @Test
  void queue_aTimedOutHasNext_losesNoItem_andTheIterationGoesOn() {
    Queue<String> q = new Queue<>();
    AsyncIterator<String> it = q.iterator();
    List<Object> got = new ArrayList<>();
    run(
        Co.seq(
            v ->
                Co.await(
                    Co.steps(x -> Co.await(Coroutines.waitFor(it.hasNext(), Duration.ofMillis(1))))
                        .onError(e -> e)
                        .build()),
            v -> {
              got.add(v.getClass().getSimpleName());
              q.putNowait("later");
              return Co.await(it.hasNext());
            },
            v -> got.add(it.next())));
    assertThat(got).containsExactly("TimeoutException", "later");
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void queue_closingTheIterator_endsItButLeavesTheQueue() {
    Queue<String> q = new Queue<>();
    q.putNowait("x");
    AsyncIterator<String> it = q.iterator();
    it.close();
    assertThat(run(it.hasNext())).isFalse();
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.getNowait()).isEqualTo("x");
  }

  @Test
  void queue_twoHasNextAtOnceOnOneIterator_theSecondGetsIllegalState() {
    Queue<String> q = new Queue<>();
    AsyncIterator<String> it = q.iterator();
    Task<Boolean> first = loop.createTask(it.hasNext());
    Task<Boolean> second = loop.createTask(it.hasNext());
    loop.callLater(0.001, () -> q.putNowait("x"));
    assertThat(loop.runUntilComplete(first)).isTrue();
    assertThat(second.exception()).isInstanceOf(IllegalStateException.class);
    assertThat(it.next()).isEqualTo("x");
    assertThatThrownBy(it::next).isInstanceOf(NoSuchElementException.class);
  }

  @Test
  void lines_ofAStream_withoutTerminators_untilTheEnd_theLastOneUnterminated() {
    StreamReader r = new StreamReader(loop);
    loop.callSoon(
        () -> {
          r.feedData("one\r\ntw".getBytes(StandardCharsets.UTF_8));
          loop.callLater(
              0.001,
              () -> {
                r.feedData("o\n\nlast".getBytes(StandardCharsets.UTF_8));
                r.feedEof();
              });
        });
    assertThat(run(r.lines().toList())).containsExactly("one", "two", "", "last");
    assertThat(run(r.lines().toList())).isEmpty();
  }

  @Test
  void lines_aFailedStreamThrowsAtHasNext_afterTheLinesBufferedBeforeIt() {
    StreamReader r = new StreamReader(loop);
    IOException reset = new IOException("reset");
    r.feedData("a\n".getBytes(StandardCharsets.UTF_8));
    r.setException(reset);
    List<Object> got = new ArrayList<>();
    assertThatThrownBy(() -> run(drainAll(r.lines().iterator(), got))).isSameAs(reset);
    assertThat(got).containsExactly("a");
  }

  @Test
  void lines_aLineOverTheLimit_isThrownAtHasNext() {
    StreamReader r = new StreamReader(loop, 4);
    r.feedData("toolongline\nok\n".getBytes(StandardCharsets.UTF_8));
    r.feedEof();
    AsyncIterator<String> it = r.lines().iterator();
    assertThatThrownBy(() -> run(it.hasNext())).isInstanceOf(LimitOverrunException.class);
    assertThat(run(it.hasNext())).isTrue();
    assertThat(it.next()).isEqualTo("ok");
  }

  /** Takes {@code n} datagrams from {@code it}, adding their text to {@code got}. */
  private static Coroutine<Object> takeText(AsyncIterator<Datagram> it, int n, List<Object> got) {
    if (n == 0) {
      return Co.seq(v -> null);
    }
    return Co.seq(
        v -> Co.await(it.hasNext()),
        v -> {
          got.add(new String(it.next().data(), StandardCharsets.UTF_8));
          return Co.await(takeText(it, n - 1, got));
        });
  }

  @Test
  void datagrams_iterateWhatArrives_andEndOnceTheEndpointIsClosed() {
    List<Object> got = new ArrayList<>();
    DatagramEndpoint[] ends = new DatagramEndpoint[2];
    run(
        Co.seq(
            v -> Co.await(Datagrams.bind("127.0.0.1", 0)),
            v -> {
              ends[0] = (DatagramEndpoint) v;
              return Co.await(Datagrams.connect("127.0.0.1", ends[0].localAddress().getPort()));
            },
            v -> {
              ends[1] = (DatagramEndpoint) v;
              for (String text : List.of("one", "two", "three")) {
                ends[1].send(text.getBytes(StandardCharsets.UTF_8));
              }
              return Co.await(takeText(ends[0].datagrams().iterator(), 3, got));
            },
            v -> {
              ends[1].close();
              ends[0].close();
              return Co.await(ends[0].datagrams().toList());
            },
            v -> got.add("after close: " + v)));
    assertThat(got).containsExactly("one", "two", "three", "after close: []");
  }

  @Test
  void asCompletedFutures_handsOutTheFuturesThemselves_inFinishingOrder() {
    IllegalStateException boom = new IllegalStateException();
    List<Object> order = new ArrayList<>();
    List<Task<Object>> tasks = new ArrayList<>();
    run(
        Co.seq(
            v -> {
              tasks.add(Coroutines.createTask(after(30, "slow")));
              tasks.add(Coroutines.createTask(failAfter(10, boom)));
              tasks.add(Coroutines.createTask(after(1, "fast")));
              return Co.await(Coroutines.asCompletedFutures(tasks).toList());
            },
            v -> {
              for (Object f : (List<?>) v) {
                order.add(tasks.indexOf(f));
                Future<?> fu = (Future<?>) f;
                order.add(fu.exception() != null ? fu.exception() : fu.result());
              }
              return null;
            }));
    assertThat(order).containsExactly(2, "fast", 1, boom, 0, "slow");
  }

  @Test
  void asCompletedFutures_afterTheTimeout_hasNextThrowsTimeout_andNothingIsCancelled() {
    List<Object> got = new ArrayList<>();
    Future<Object> never = loop.createFuture();
    AsyncIterator<?>[] it = new AsyncIterator<?>[1];
    assertThatThrownBy(
            () ->
                run(
                    Co.seq(
                        v -> {
                          it[0] =
                              Coroutines.asCompletedFutures(
                                      List.of(after(1, "fast"), never), Duration.ofMillis(500))
                                  .iterator();
                          return Co.await(drainAll(it[0], got));
                        })))
        .isInstanceOf(TimeoutException.class);
    assertThat(got).hasSize(1);
    assertThat(((Future<?>) got.get(0)).result()).isEqualTo("fast");
    assertThat(never.isCancelled()).isFalse();
  }
}
