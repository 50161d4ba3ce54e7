package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * A web application or plugin that bundles its own copy of the runtime must be collectable once it
 * is dropped: nothing the runtime leaves on the threads it ran on (a thread-local of its classes)
 * or starts for good (its cleaner's thread, which on JDK 17 inherited the access-control context of
 * the code that first needed it) may keep the copy's class loader. Found from outside with a
 * child-first plugin loader.
 */
class PluginLoaderLeakTest {

  @Test
  void aCopyOfTheRuntimeInAPluginsLoader_isCollectedOnceDropped() throws Exception {
    URL classes = EventLoop.class.getProtectionDomain().getCodeSource().getLocation();
    WeakReference<ClassLoader> plugin = runACopyHere(classes);
    for (int i = 0; i < 100 && plugin.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertThat(plugin.get()).as("the plugin's class loader, after its runtime ran here").isNull();
  }

  /**
   * Loads the runtime's classes in a loader of their own and, on this (long-lived) thread: enters a
   * context, runs a loop (last: a context's exit would also let go of what the run left), and fails
   * a future of no loop, which starts the cleaner's thread.
   */
  private static WeakReference<ClassLoader> runACopyHere(URL classes) throws Exception {
    URLClassLoader loader =
        new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader());
    Class<?> coroutines = loader.loadClass("dev.coroutine.Coroutines");
    Class<?> coroutine = loader.loadClass("dev.coroutine.Coroutine");
    Class<?> context = loader.loadClass("dev.coroutine.Context");
    context.getMethod("run", Runnable.class).invoke(context.getConstructor().newInstance(), noop());

    Method sleep = coroutines.getMethod("sleep", long.class);
    coroutines.getMethod("run", coroutine).invoke(null, sleep.invoke(null, 1L));

    Class<?> futureClass = loader.loadClass("dev.coroutine.Future");
    Object future = futureClass.getConstructor().newInstance(); // no loop: the cleaner watches it
    futureClass.getMethod("setException", Throwable.class).invoke(future, new Exception("x"));
    futureClass.getMethod("exception").invoke(future); // retrieved: nothing to report
    assertThat(coroutines.getClassLoader()).isSameAs(loader);
    loader.close();
    return new WeakReference<>(loader);
  }

  private static Runnable noop() {
    return () -> {};
  }
}
