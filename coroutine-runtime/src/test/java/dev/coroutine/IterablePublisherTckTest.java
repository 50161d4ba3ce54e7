package dev.coroutine;

import java.util.concurrent.Flow;
import org.reactivestreams.tck.TestEnvironment;
import org.reactivestreams.tck.flow.FlowPublisherVerification;
import org.testng.annotations.AfterClass;
import org.testng.annotations.BeforeClass;

/**
 * The Reactive Streams TCK (a TestNG suite, run by JUnit Platform's TestNG engine) against {@link
 * ReactiveStreams#toPublisher}: an async generator emitting 0..n-1 published from a loop running on
 * a thread of its own; the TCK subscribes, requests and cancels from its threads. The failed
 * publisher is one on a closed loop (it signals onError right after onSubscribe, without demand).
 */
public class IterablePublisherTckTest extends FlowPublisherVerification<Long> {
  /** The loop the publishers run on. */
  private EventLoop loop;

  /** The loop's thread. */
  private Thread thread;

  public IterablePublisherTckTest() {
    // generous timeouts: this machine may be loaded; they bound waits, they assert no speed
    super(new TestEnvironment(2_000, 300));
  }

  @BeforeClass
  public void startLoop() {
    loop = new EventLoop();
    thread = new Thread(loop::runForever, "tck-publisher-loop");
    thread.start();
  }

  @AfterClass
  public void stopLoop() throws InterruptedException {
    loop.callSoonThreadsafe(loop::stop);
    thread.join(10_000);
    loop.close();
  }

  @Override
  public Flow.Publisher<Long> createFlowPublisher(long elements) {
    return ReactiveStreams.toPublisher(
        Coroutines.generate(out -> Counting.upTo(out, elements)), loop);
  }

  @Override
  public Flow.Publisher<Long> createFailedFlowPublisher() {
    EventLoop closed = new EventLoop();
    closed.close();
    return ReactiveStreams.toPublisher(Coroutines.generate(out -> Counting.upTo(out, 1)), closed);
  }
}
