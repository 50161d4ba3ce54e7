package dev.coroutine.examples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Seed section 3, debug mode. Debug mode is switched on here by {@code run(main(), true)}, the twin
 * of {@code asyncio.run(main(), debug=True)}; {@code -Dcoroutine.debug=true}, the environment
 * variable {@code COROUTINE_DEBUG=1} and {@code loop.setDebug(true)} do the same, as {@code
 * PYTHONASYNCIODEBUG=1}, {@code -X dev} and {@code loop.set_debug()} do in Python.
 *
 * <p>The runtime reports through the {@code System.Logger} named {@code dev.coroutine}; like the
 * seed's {@code logging.basicConfig(level=logging.DEBUG)}, {@link #showRuntimeLog()} routes that
 * logger to standard output. Then it shows what the seed lists:
 *
 * <ol>
 *   <li>a coroutine that is created and never awaited is reported, with the place it was created
 *       (the "forgotten await" problem);
 *   <li>a callback running longer than {@code slowCallbackDuration} (100 ms by default, asyncio's
 *       {@code slow_callback_duration}) is logged, and so is a coroutine step that blocks the loop;
 *   <li>a non-thread-safe call ({@code loop.callSoon}) from another thread is refused with an
 *       exception; {@code callSoonThreadsafe} is the way in;
 *   <li>and, as asyncio does too, a task exception that nobody retrieved is reported.
 * </ol>
 *
 * Reports 1 and 4 come when the garbage collector finds the forgotten objects, so the example
 * nudges it with {@code System.gc()} and waits for them.
 */
public final class DebugMode {
  private DebugMode() {}

  /** What the runtime logged, as "LEVEL message"; written by the logging handler. */
  private static final List<String> REPORTS = new CopyOnWriteArrayList<>();

  /** The runtime's logger; held so that its configuration is not garbage-collected. */
  private static Logger runtimeLogger;

  /** {@code logging.basicConfig(...)}: prints the runtime's log records to standard output. */
  static void showRuntimeLog() {
    if (runtimeLogger != null) {
      return;
    }
    Logger logger = Logger.getLogger("dev.coroutine");
    logger.setUseParentHandlers(false);
    logger.addHandler(
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            String text = r.getLevel() + " " + r.getMessage();
            REPORTS.add(text);
            System.out.println("  [dev.coroutine] " + shorten(text));
            if (r.getThrown() != null) {
              System.out.println("    caused by " + r.getThrown());
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        });
    runtimeLogger = logger;
  }

  /**
   * A report with its creation site cut to the user's code: the runtime's own frames (the loop, the
   * task driver) and the test or launcher frames below {@code main} say nothing here.
   */
  private static String shorten(String text) {
    String[] lines = text.split("\n");
    StringBuilder b = new StringBuilder(lines[0]);
    int shown = 0;
    for (int i = 1; i < lines.length; i++) {
      String frame = lines[i].trim();
      boolean runtime = frame.startsWith("at dev.coroutine.") && !frame.startsWith("at " + PACKAGE);
      if (!runtime && frame.startsWith("at " + PACKAGE) && shown < 3) {
        b.append("\n      ").append(frame);
        shown++;
      }
    }
    return b.toString();
  }

  /** This package: frames of the examples themselves. */
  private static final String PACKAGE = DebugMode.class.getPackageName() + ".";

  @Async
  static Coroutine<Void> sayAfter(long millis, String what) {
    await(sleep(millis));
    System.out.println(what);
    return done();
  }

  @Async
  static Coroutine<Void> fails() {
    await(sleep(1));
    throw new IllegalArgumentException("nobody looks at this exception");
  }

  /** A coroutine that blocks the loop's thread instead of awaiting. */
  @Async
  static Coroutine<Void> blocksTheLoop() {
    blockFor(150); // should have been await(sleep(150))
    return done();
  }

  /** A callback that blocks the loop: named, so that the log says which. */
  static final class SlowCallback implements Runnable {
    @Override
    public void run() {
      blockFor(120);
    }

    @Override
    public String toString() {
      return "slowCallback()";
    }
  }

  static void blockFor(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits (at most five seconds) for a report containing {@code text}, collecting garbage. */
  @Async
  static Coroutine<Boolean> reported(String text) {
    for (int i = 0; i < 100; i++) {
      for (String r : REPORTS) {
        if (r.contains(text)) {
          return done(true);
        }
      }
      System.gc();
      await(sleep(50));
    }
    return done(false);
  }

  @Async
  static Coroutine<Void> main() {
    EventLoop loop = getRunningLoop();
    System.out.println("debug mode: " + loop.getDebug());

    System.out.println("-- 1. a coroutine that is never awaited");
    sayAfter(10, "never printed"); // the forgotten await: should be await(sayAfter(...))
    if (!await(reported("was never awaited"))) {
      System.out.println("  (no report: the collector kept the coroutine)");
    }

    System.out.println(
        "-- 2. slow callbacks (slowCallbackDuration = "
            + loop.getSlowCallbackDuration().toMillis()
            + " ms)");
    loop.callSoon(new SlowCallback());
    await(createTask(blocksTheLoop()));

    System.out.println("-- 3. a non-thread-safe call from another thread");
    CompletableFuture<String> outcome = new CompletableFuture<>();
    Thread other =
        new Thread(
            () -> {
              try {
                loop.callSoon(() -> System.out.println("  never printed either"));
                outcome.complete("callSoon was accepted");
              } catch (IllegalStateException e) {
                outcome.complete("refused: " + e.getMessage());
              }
            },
            "other-thread");
    other.start();
    System.out.println("  " + await(outcome));
    CompletableFuture<String> viaThreadsafe = new CompletableFuture<>();
    new Thread(
            () ->
                loop.callSoonThreadsafe(
                    () ->
                        viaThreadsafe.complete(
                            "callSoonThreadsafe from another thread: ran on "
                                + Thread.currentThread().getName())),
            "other-thread")
        .start();
    System.out.println("  " + await(viaThreadsafe));

    System.out.println("-- 4. a task exception never retrieved");
    createTask(fails()); // nobody awaits the task or asks for its exception
    await(sleep(10));
    if (!await(reported("exception was never retrieved"))) {
      System.out.println("  (no report: the collector kept the task)");
    }
    return done();
  }

  public static void main(String[] args) {
    showRuntimeLog();
    run(main(), true);
    // the loop is closed: give the cleaner a last chance, then stop listening
    System.out.println("done; debug mode also: -Dcoroutine.debug=true or COROUTINE_DEBUG=1");
  }
}
