package dev.coroutine.internal;

/**
 * The management interface of an event loop, registered as {@code
 * dev.coroutine:type=EventLoop,name=loop-N} when the JVM runs with {@code -Dcoroutine.jmx=true}.
 * Call {@link #dumpTasks()} from JConsole, JMC or any JMX client to see what every task waits on.
 * Not an API to program against: it is public only because JMX requires it.
 */
public interface EventLoopMXBean {
  /**
   * {@code EventLoop.dumpTasks()}: every pending task, its state, wait and async stack.
   *
   * @return the dump, one block per pending task
   */
  String dumpTasks();

  /**
   * Number of pending tasks, counted on the loop's thread; -1 if the loop did not answer within 2 s
   * (blocked by a callback: {@link #dumpTasks()} then shows what it runs).
   *
   * @return the number of tasks not done yet, or -1
   */
  int getPendingTaskCount();

  /**
   * True while the loop runs.
   *
   * @return true while the loop runs
   */
  boolean isRunning();

  /**
   * True once the loop is closed.
   *
   * @return true once the loop is closed
   */
  boolean isClosed();

  /**
   * True in debug mode.
   *
   * @return true if debug mode is on
   */
  boolean isDebug();

  /**
   * Loop time in seconds ({@code EventLoop.time()}).
   *
   * @return the loop's clock, in seconds
   */
  double getTime();

  /**
   * Name of the thread running the loop, or null when it is not running.
   *
   * @return the loop thread's name, or null
   */
  String getThreadName();
}
