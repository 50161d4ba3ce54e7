package dev.coroutine.internal;

/**
 * The management interface of an event loop, registered as {@code
 * dev.coroutine:type=EventLoop,name=loop-N} when the JVM runs with {@code -Dcoroutine.jmx=true}.
 * Call {@link #dumpTasks()} from JConsole, JMC or any JMX client to see what every task waits on.
 * Not an API to program against: it is public only because JMX requires it.
 */
public interface EventLoopMXBean {
  /** {@code EventLoop.dumpTasks()}: every pending task, its state, wait and async stack. */
  String dumpTasks();

  /** Number of pending tasks. */
  int getPendingTaskCount();

  /** True while the loop runs. */
  boolean isRunning();

  /** True once the loop is closed. */
  boolean isClosed();

  /** True in debug mode. */
  boolean isDebug();

  /** Loop time in seconds ({@code EventLoop.time()}). */
  double getTime();

  /** Name of the thread running the loop, or null when it is not running. */
  String getThreadName();
}
