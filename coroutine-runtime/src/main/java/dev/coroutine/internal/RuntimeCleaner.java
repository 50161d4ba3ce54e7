package dev.coroutine.internal;

import java.lang.ref.Cleaner;

/**
 * The runtime's one cleaner: a daemon thread of the JDK's, started on first use, for what must
 * happen when an object is collected (debug mode's never-awaited coroutines, the failures of
 * futures no loop watches any more, connections whose writers were dropped unclosed). Its actions
 * hand work to a loop without waiting, or report; none may block for long, as they share it.
 */
public final class RuntimeCleaner {
  private RuntimeCleaner() {}

  /**
   * Registers {@code action} to run on the cleaner's thread once {@code object} is phantom
   * reachable; the action must not refer to {@code object}.
   *
   * @param object the object to watch
   * @param action what to run once it is collected
   * @return the registration, whose {@code clean()} runs the action at once and ends it
   */
  public static Cleaner.Cleanable register(Object object, Runnable action) {
    return Holder.CLEANER.register(object, action);
  }

  /** Created on first use only: a program that never needs it starts no thread. */
  private static final class Holder {
    /**
     * The JDK's own cleaner thread: a thread the runtime made with {@code new Thread} would keep
     * what it inherits from the code that first needed it, for the life of the JVM (on JDK 17 the
     * access-control context, whose protection domains hold the class loader of a plugin that
     * started it); the JDK's is a daemon that inherits nothing.
     */
    static final Cleaner CLEANER = Cleaner.create();
  }
}
