package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A web application or plugin that bundles its own copy of the runtime must be collectable once it
 * is dropped: nothing the runtime leaves on the threads it ran on (a thread-local of its classes),
 * starts for good (its cleaner's thread, which on JDK 17 inherited the access-control context of
 * the code that first needed it) or registers with the JVM (a flight-recorder listener, an MXBean,
 * a shutdown hook) may keep the copy's class loader. Found from outside with a child-first plugin
 * loader; the recorder's listener was found when this test ran in a JVM whose recorder no earlier
 * test had initialized, so each case runs in a child JVM of its own, with the recorder in a known
 * state.
 */
class PluginLoaderLeakTest {

  @ParameterizedTest
  @ValueSource(strings = {"no-recorder", "recorder-at-start", "recorder-during-run", "monitoring"})
  void aCopyOfTheRuntimeInAPluginsLoader_isCollectedOnceDropped(String jvm) throws Exception {
    List<String> options =
        jvm.equals("recorder-at-start")
            ? List.of("-XX:StartFlightRecording")
            : jvm.equals("monitoring") // an MXBean per loop, an exit hook
                ? List.of("-Dcoroutine.jmx=true", "-Dcoroutine.dumpOnExit=true")
                : List.of();
    String out = ChildJvm.runOk(options, Plugin.class, jvm);
    assertThat(out).as("the plugin's class loader, after its runtime ran").contains("collected");
  }

  /** The child JVM's program: runs a copy of the runtime in a loader of its own, then drops it. */
  static final class Plugin {
    public static void main(String[] args) throws Exception {
      URL classes = EventLoop.class.getProtectionDomain().getCodeSource().getLocation();
      WeakReference<ClassLoader> plugin =
          runACopyHere(classes, args[0].equals("recorder-during-run"));
      for (int i = 0; i < 100 && plugin.get() != null; i++) {
        System.gc();
        Thread.sleep(20);
      }
      System.out.println(plugin.get() == null ? "collected" : "still reachable");
    }

    /**
     * Loads the runtime's classes in a loader of their own and, on this (long-lived) thread: enters
     * a context, runs a loop (last: a context's exit would also let go of what the run left), and
     * fails a future of no loop, which starts the cleaner's thread. With {@code recorderDuringRun},
     * the flight recorder is initialized while the loop runs (its coroutine waits for it).
     */
    private static WeakReference<ClassLoader> runACopyHere(URL classes, boolean recorderDuringRun)
        throws Exception {
      URLClassLoader loader =
          new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
      Class<?> coroutines = loader.loadClass("dev.coroutine.Coroutines");
      Class<?> coroutine = loader.loadClass("dev.coroutine.Coroutine");
      Class<?> context = loader.loadClass("dev.coroutine.Context");
      context
          .getMethod("run", Runnable.class)
          .invoke(context.getConstructor().newInstance(), noop());

      // the loop runs a coroutine of the plugin's: a sleep, or a thread job that waits while a
      // thread of this program's starts a recording (made here: on JDK 17 a thread inherits the
      // access-control context of the stack that made it, and the recorder's threads that of the
      // thread that initialized it, so one made under the plugin's frames would hold its loader)
      CountDownLatch loopRuns = new CountDownLatch(1);
      CountDownLatch recorded = new CountDownLatch(1);
      Thread recorder = new Thread(() -> recordWhen(loopRuns, recorded));
      Object main;
      if (recorderDuringRun) {
        recorder.start();
        Callable<Object> job =
            () -> {
              loopRuns.countDown();
              return recorded.await(30, TimeUnit.SECONDS);
            };
        main = coroutines.getMethod("toThread", Callable.class).invoke(null, job);
      } else {
        main = coroutines.getMethod("sleep", long.class).invoke(null, 1L);
      }
      Object result = coroutines.getMethod("run", coroutine).invoke(null, main);
      if (recorderDuringRun) {
        recorder.join();
        if (!Boolean.TRUE.equals(result)) {
          throw new AssertionError("no recording started while the loop ran");
        }
      }

      Class<?> futureClass = loader.loadClass("dev.coroutine.Future");
      Object future = futureClass.getConstructor().newInstance(); // no loop: the cleaner watches it
      futureClass.getMethod("setException", Throwable.class).invoke(future, new Exception("x"));
      futureClass.getMethod("exception").invoke(future); // retrieved: nothing to report
      if (coroutines.getClassLoader() != loader) {
        throw new AssertionError("the runtime came from " + coroutines.getClassLoader());
      }
      loader.close();
      return new WeakReference<>(loader);
    }

    /** Initializes the recorder, with a recording, once the plugin's loop runs. */
    private static void recordWhen(CountDownLatch loopRuns, CountDownLatch recorded) {
      try {
        loopRuns.await();
        try (Recording r = new Recording()) {
          r.start();
          r.stop();
        }
        recorded.countDown();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static Runnable noop() {
      return () -> {};
    }
  }
}
