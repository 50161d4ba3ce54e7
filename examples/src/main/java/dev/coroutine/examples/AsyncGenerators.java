package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.generate;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterable;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.Emitter;
import dev.coroutine.Future;
import dev.coroutine.GeneratorExitException;
import dev.coroutine.ReactiveStreams;
import dev.coroutine.Task;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;

/**
 * Async generators and {@code async for}, in the seed's manner (each part shows the Python it
 * mirrors, then does it): PEP 525's {@code ticker}; a generator over a "file" whose {@code finally}
 * closes it when the consumer stops early; a producer's exception caught by the consumer's loop;
 * cancelling the consumer cancels the producer; and a generator published as a {@link
 * java.util.concurrent.Flow.Publisher} that runs only as far as its subscriber asks.
 */
@dev.coroutine.CatchesCancellation // the cancellation part catches it to print it
public final class AsyncGenerators {
  private AsyncGenerators() {}

  /**
   *
   *
   * <pre>
   * async def ticker(delay, to):
   *     for i in range(to):
   *         yield i
   *         await asyncio.sleep(delay)
   * </pre>
   */
  @Async
  static Coroutine<Void> ticker(Emitter<Integer> out, long delayMillis, int to) {
    for (int i = 0; i < to; i++) {
      await(out.emit(i));
      await(sleep(delayMillis));
    }
    return done();
  }

  /** {@code async for i in ticker(0.05, 4): print(i)}. */
  @Async
  static Coroutine<Void> tick() {
    try (AsyncIterator<Integer> it =
        generate((Emitter<Integer> out) -> ticker(out, 50, 4)).iterator()) {
      while (await(it.hasNext())) {
        System.out.println("tick " + it.next());
      }
    }
    return done();
  }

  /**
   * A generator that holds a resource: its {@code finally} runs however the consumer stops.
   *
   * <pre>
   * async def read_lines():
   *     print("open the file")
   *     try:
   *         for line in ["alpha", "beta", "gamma", "delta"]:
   *             await asyncio.sleep(0.01)
   *             yield line
   *     finally:
   *         print("close the file")
   * </pre>
   */
  @Async
  static Coroutine<Void> readLines(Emitter<String> out) {
    System.out.println("open the file");
    try {
      for (String line : List.of("alpha", "beta", "gamma", "delta")) {
        await(sleep(10));
        await(out.emit(line));
      }
    } catch (GeneratorExitException e) {
      System.out.println("the consumer stopped early");
      throw e;
    } finally {
      System.out.println("close the file");
    }
    return done();
  }

  /**
   *
   *
   * <pre>
   * async with contextlib.aclosing(read_lines()) as lines:
   *     async for line in lines:
   *         print(line)
   *         if line == "beta":
   *             break
   * print("after the loop")
   * </pre>
   */
  @Async
  static Coroutine<Void> stopEarly() {
    AsyncIterator<String> lines = generate(AsyncGenerators::readLines).iterator();
    try {
      while (await(lines.hasNext())) {
        String line = lines.next();
        System.out.println(line);
        if (line.equals("beta")) {
          break;
        }
      }
    } finally {
      await(lines.aclose()); // the generator's finally has run when this returns
    }
    System.out.println("after the loop");
    return done();
  }

  /** A producer that fails after two values: {@code raise ValueError("sensor offline")}. */
  @Async
  static Coroutine<Void> sensor(Emitter<Double> out) {
    await(out.emit(20.5));
    await(out.emit(21.0));
    await(sleep(10));
    throw new IllegalStateException("sensor offline");
  }

  /** The producer's exception arrives at the consumer's {@code async for}, where it is caught. */
  @Async
  static Coroutine<Void> failure() {
    AsyncIterable<Double> readings = generate(AsyncGenerators::sensor);
    try (AsyncIterator<Double> it = readings.iterator()) {
      while (await(it.hasNext())) {
        System.out.println("reading " + it.next());
      }
    } catch (IllegalStateException e) {
      System.out.println("the loop raised: " + e.getMessage());
    }
    return done();
  }

  /** Ticks once an hour, forever; says so when it is cancelled. */
  @Async
  static Coroutine<Void> hourly(Emitter<Integer> out) {
    try {
      for (int i = 0; ; i++) {
        await(out.emit(i));
        await(sleep(3_600_000));
      }
    } catch (CancellationException e) {
      System.out.println("producer: cancelled while it slept");
      throw e;
    }
  }

  /** A consumer that counts forever; its task is cancelled while the producer sleeps. */
  @Async
  static Coroutine<Void> consumeForever(Future<Void> firstTick) {
    AsyncIterable<Integer> ticks = generate(AsyncGenerators::hourly);
    try (AsyncIterator<Integer> it = ticks.iterator()) {
      while (await(it.hasNext())) {
        System.out.println("consumer got " + it.next());
        if (!firstTick.isDone()) {
          firstTick.setResult(null);
        }
      }
    }
    return done();
  }

  /**
   * {@code task.cancel()} on the consumer: the cancellation is thrown in where the producer waits.
   */
  @Async
  static Coroutine<Void> cancellation() {
    Future<Void> firstTick = getRunningLoop().createFuture();
    Task<Void> consumer = createTask(consumeForever(firstTick));
    await(firstTick);
    consumer.cancel();
    try {
      await(consumer);
    } catch (CancellationException e) {
      System.out.println("consumer cancelled: " + consumer.isCancelled());
    }
    return done();
  }

  /** Prints what it receives and asks for two more after every second value. */
  static final class TwoAtATime implements Flow.Subscriber<Integer> {
    /** The subscription. */
    private Flow.Subscription subscription;

    /** Values received. */
    private int received;

    /** Completed at onComplete or onError. */
    final Future<Void> finished = new Future<>();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      System.out.println("subscriber requests 2");
      s.request(2);
    }

    @Override
    public void onNext(Integer item) {
      System.out.println("subscriber got " + item);
      if (++received % 2 == 0) {
        System.out.println("subscriber requests 2");
        subscription.request(2);
      }
    }

    @Override
    public void onError(Throwable t) {
      finished.setException(t);
    }

    @Override
    public void onComplete() {
      System.out.println("subscriber: complete");
      finished.setResult(null);
    }
  }

  /** A generator that says when it produces, to show it runs only as far as requested. */
  @Async
  static Coroutine<Void> counted(Emitter<Integer> out) {
    for (int i = 1; i <= 3; i++) {
      System.out.println("producing " + i);
      await(out.emit(i));
    }
    return done();
  }

  /** The generator as a {@code Flow.Publisher}: back-pressure decides how far it runs. */
  @Async
  static Coroutine<Void> publisher() {
    Flow.Publisher<Integer> p =
        ReactiveStreams.toPublisher(generate(AsyncGenerators::counted), getRunningLoop());
    TwoAtATime subscriber = new TwoAtATime();
    p.subscribe(subscriber);
    await(subscriber.finished);
    return done();
  }

  /** Runs the parts in order, each on its own loop. */
  public static void main(String[] args) {
    System.out.println("-- async for over PEP 525's ticker");
    run(tick());
    System.out.println("-- break early: the generator's finally runs (aclose)");
    run(stopEarly());
    System.out.println("-- the producer's exception arrives at the loop");
    run(failure());
    System.out.println("-- cancelling the consumer cancels the producer");
    run(cancellation());
    System.out.println("-- a generator as a Flow.Publisher, two values at a time");
    run(publisher());
  }
}
