package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An await reached while a {@code java.util.concurrent} lock is held (found from outside: Lombok's
 * {@code @Locked} wraps a method in {@code lock(); try { ... } finally { unlock(); }}) is warned at
 * its line: the lock belongs to the loop's thread, so a {@code ReentrantLock} lets a second task in
 * while the first is suspended, as the rewritten code shows here. A {@code tryLock} counts where
 * its result says it took the lock; locks released before the await are not warned. Every compiler
 * of {@link InMemoryCompiler#all()}.
 */
class LockAcrossAwaitTest {
  static final String SOURCE =
      "package lk;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "import java.util.concurrent.locks.*;\n"
          + "public class Locks {\n"
          + "  static final ReentrantLock LOCK = new ReentrantLock();\n"
          + "  static final ReentrantReadWriteLock RW = new ReentrantReadWriteLock();\n"
          + "  static final StampedLock STAMPED = new StampedLock();\n"
          + "  static int inside, maxInside;\n"
          + "  @Async public static Coroutine<Integer> held() {\n"
          + "    LOCK.lock();\n"
          + "    try {\n"
          + "      maxInside = Math.max(maxInside, ++inside);\n"
          + "      await(sleep(1)); // @held\n"
          + "      inside--;\n"
          + "    } finally {\n"
          + "      LOCK.unlock();\n"
          + "    }\n"
          + "    return done(maxInside);\n"
          + "  }\n"
          + "  @Async public static Coroutine<Integer> twoTasks() {\n"
          + "    Task<Integer> a = createTask(held());\n"
          + "    Task<Integer> b = createTask(held());\n"
          + "    await(a);\n"
          + "    return done(await(b));\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> throughTheInterface(Lock l) {\n"
          + "    l.lock();\n"
          + "    try {\n"
          + "      await(sleep(0)); // @interface\n"
          + "    } finally {\n"
          + "      l.unlock();\n"
          + "    }\n"
          + "    return done();\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> writeLock() {\n"
          + "    RW.writeLock().lock();\n"
          + "    try {\n"
          + "      await(sleep(0)); // @write\n"
          + "    } finally {\n"
          + "      RW.writeLock().unlock();\n"
          + "    }\n"
          + "    return done();\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> stamped() {\n"
          + "    long stamp = STAMPED.writeLock();\n"
          + "    try {\n"
          + "      await(sleep(0)); // @stamped\n"
          + "    } finally {\n"
          + "      STAMPED.unlockWrite(stamp);\n"
          + "    }\n"
          + "    return done();\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> releasedBefore() {\n"
          + "    LOCK.lock();\n"
          + "    try {\n"
          + "      inside++;\n"
          + "    } finally {\n"
          + "      LOCK.unlock();\n"
          + "    }\n"
          + "    await(sleep(0));\n"
          + "    return done();\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> tryLocked() {\n"
          + "    if (LOCK.tryLock()) {\n"
          + "      try {\n"
          + "        await(sleep(0)); // @tryLocked\n"
          + "      } finally {\n"
          + "        LOCK.unlock();\n"
          + "      }\n"
          + "    }\n"
          + "    await(sleep(0));\n"
          + "    return done();\n"
          + "  }\n"
          + "  @Async static Coroutine<Void> tryLockOnly() {\n"
          + "    if (LOCK.tryLock()) {\n"
          + "      try {\n"
          + "        inside++;\n"
          + "      } finally {\n"
          + "        LOCK.unlock();\n"
          + "      }\n"
          + "    }\n"
          + "    await(sleep(0));\n"
          + "    return done();\n"
          + "  }\n"
          + "}\n";

  static int line(String marker) {
    return InMemoryCompiler.markedLine(SOURCE, marker);
  }

  @ParameterizedTest
  @MethodSource("dev.coroutine.transform.InMemoryCompiler#all")
  void anAwaitWhileALockIsHeld_isWarnedAtItsLine_andIndeedLetsASecondTaskIn(
      InMemoryCompiler compiler) throws Exception {
    Samples.Warned w =
        Samples.compileAndRewrite(
            compiler, "lk.Locks", SOURCE, "lock is held", "dev.coroutine.sync.Lock");
    assertThat(w.at())
        .containsExactlyInAnyOrder(
            "held:" + line("held"),
            "throughTheInterface:" + line("interface"),
            "writeLock:" + line("write"),
            "stamped:" + line("stamped"),
            "tryLocked:" + line("tryLocked"));
    Class<?> locks = w.rewritten();
    // what the warning says: both tasks are inside the "locked" region at once
    Object maxInside = Coroutines.run((Coroutine<?>) locks.getMethod("twoTasks").invoke(null));
    assertThat(maxInside).isEqualTo(2);
  }
}
