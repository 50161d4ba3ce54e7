package dev.coroutine;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowSubscriberBlackboxVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK's subscriber rules (black box) against the subscriber {@link
 * ReactiveStreams#fromPublisher} makes: each subscriber under test is the one an iteration
 * subscribes with when a task on the loop starts consuming ({@code toList()}); the TCK then plays
 * the publisher, from its own threads.
 */
public class PublisherIterationTckTest extends FlowSubscriberBlackboxVerification<Integer> {
  /** The loop the consuming tasks run on. */
  private EventLoop loop;

  /** The loop's thread. */
  private Thread thread;

  public PublisherIterationTckTest() {
    super(new TestEnvironment(2_000, 300));
  }

  @BeforeClass
  public void startLoop() {
    loop = new EventLoop();
    thread = new Thread(loop::runForever, "tck-subscriber-loop");
    thread.start();
  }

  @AfterClass
  public void stopLoop() throws InterruptedException {
    loop.callSoonThreadsafe(loop::stop);
    thread.join(10_000);
    loop.close();
  }

  @Override
  public Flow.Subscriber<Integer> createFlowSubscriber() {
    CompletableFuture<Flow.Subscriber<? super Integer>> subscribed = new CompletableFuture<>();
    Flow.Publisher<Integer> capture = subscribed::complete; // the TCK sends onSubscribe itself
    AsyncIterable<Integer> items = ReactiveStreams.fromPublisher(capture, 4);
    loop.callSoonThreadsafe(() -> loop.createTask(items.toList()));
    try {
      @SuppressWarnings("unchecked")
      Flow.Subscriber<Integer> s = (Flow.Subscriber<Integer>) subscribed.get(10, TimeUnit.SECONDS);
      return s;
    } catch (Exception e) {
      throw new AssertionError("the iteration did not subscribe", e);
    }
  }

  @Override
  public Integer createElement(int element) {
    return element;
  }
}
