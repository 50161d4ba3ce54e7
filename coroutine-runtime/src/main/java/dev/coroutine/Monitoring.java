package dev.coroutine;

import dev.coroutine.internal.EventLoopMXBean;
import java.io.PrintStream;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The production hooks for task dumps, both off unless asked for by a system property:
 *
 * <ul>
 *   <li>{@code -Dcoroutine.jmx=true}: every loop is registered, while it is open, as the MXBean
 *       {@code dev.coroutine:type=EventLoop,name=loop-N} with a {@code dumpTasks} operation.
 *   <li>{@code -Dcoroutine.dumpOnExit=true}: a shutdown hook, there while a loop is open, prints
 *       the task dump of every loop not yet closed to standard error (so Ctrl-C or SIGTERM on a
 *       stuck program shows what each task waits for).
 * </ul>
 *
 * <p>Invariant: with both properties off, nothing here runs beyond the static-final test in the
 * loop's constructor and {@code close()}; {@code java.management} is loaded only with {@code
 * coroutine.jmx}. Loops are held weakly: an unclosed, unreachable loop is not kept alive. Nothing
 * is left registered with the JVM once every loop is closed (the MXBeans, the exit hook), so a
 * plugin's copy of the runtime can be collected.
 */
final class Monitoring {
  private Monitoring() {}

  /** {@code -Dcoroutine.jmx=true}. */
  static final boolean JMX = Boolean.getBoolean("coroutine.jmx");

  /** {@code -Dcoroutine.dumpOnExit=true}. */
  static final boolean DUMP_ON_EXIT = Boolean.getBoolean("coroutine.dumpOnExit");

  /** Either hook is on: loops register themselves. */
  static final boolean ENABLED = JMX || DUMP_ON_EXIT;

  /** How long the exit hook waits for each running loop to answer. */
  private static final long EXIT_DUMP_TIMEOUT_MILLIS = 1000;

  /** Open loops and their names ("loop-N"). */
  private static final Map<EventLoop, String> LOOPS =
      Collections.synchronizedMap(new WeakHashMap<>());

  private static final AtomicInteger COUNTER = new AtomicInteger();

  /**
   * The exit hook while a loop is open, else null; guarded by {@link #LOOPS}. The JVM's hook list
   * would keep this copy of the runtime's class loader (a plugin's) for good, so the hook is there
   * only while it has a loop to dump.
   */
  private static Thread exitHook;

  /** A new loop: remember it and, with {@code coroutine.jmx}, register its MXBean. */
  static void register(EventLoop loop) {
    String name = "loop-" + COUNTER.incrementAndGet();
    synchronized (LOOPS) {
      LOOPS.put(loop, name);
      if (DUMP_ON_EXIT && exitHook == null) {
        Thread hook = new Thread(() -> dumpAll(System.err), "coroutine-dump-on-exit");
        try {
          Runtime.getRuntime().addShutdownHook(hook);
          exitHook = hook;
        } catch (IllegalStateException shuttingDown) {
          // the JVM is exiting: too late for a hook
        }
      }
    }
    if (JMX) {
      try {
        Jmx.register(loop, name);
      } catch (Throwable t) { // no java.management, or a name clash: the loop works without it
        Debug.LOG.log(System.Logger.Level.WARNING, "cannot register the loop's MXBean " + name, t);
      }
    }
  }

  /** The loop closed: forget it and unregister its MXBean. */
  static void unregister(EventLoop loop) {
    String name;
    synchronized (LOOPS) {
      name = LOOPS.remove(loop);
      if (exitHook != null && LOOPS.isEmpty()) {
        try {
          Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running or about to: it finds no open loop
        }
        exitHook = null;
      }
    }
    if (JMX && name != null) {
      try {
        Jmx.unregister(name);
      } catch (Throwable t) {
        Debug.LOG.log(System.Logger.Level.DEBUG, "cannot unregister MXBean " + name, t);
      }
    }
  }

  /** Prints the dump of every open loop (the shutdown hook). */
  static void dumpAll(PrintStream out) {
    List<Map.Entry<EventLoop, String>> loops;
    synchronized (LOOPS) {
      loops = new ArrayList<>(LOOPS.entrySet());
    }
    for (Map.Entry<EventLoop, String> e : loops) {
      EventLoop loop = e.getKey();
      if (loop == null || loop.isClosed()) {
        continue;
      }
      out.println(loop.dumpTasks(EXIT_DUMP_TIMEOUT_MILLIS, e.getValue()));
    }
    out.flush();
  }

  /** The JMX side; loaded only with {@code coroutine.jmx}. */
  private static final class Jmx {
    static void register(EventLoop loop, String name) throws Exception {
      java.lang.management.ManagementFactory.getPlatformMBeanServer()
          .registerMBean(new Registered(new Bean(loop, name)), objectName(name));
    }

    static void unregister(String name) throws Exception {
      javax.management.MBeanServer s =
          java.lang.management.ManagementFactory.getPlatformMBeanServer();
      javax.management.ObjectName n = objectName(name);
      if (s.isRegistered(n)) {
        s.unregisterMBean(n);
      }
    }

    static javax.management.ObjectName objectName(String name) throws Exception {
      return new javax.management.ObjectName("dev.coroutine:type=EventLoop,name=" + name);
    }
  }

  /**
   * The registered MXBean: its description comes from {@link EventLoopMXBean}, its calls go to the
   * bean directly. JMX calls an MXBean's methods by reflection from a class of an unnamed module,
   * which the interface's package, exported only to {@code java.management}, does not let in when
   * the runtime is the named module {@code dev.coroutine}: every attribute read failed there.
   */
  private static final class Registered extends javax.management.StandardMBean {
    private final Bean bean;

    Registered(Bean bean) throws javax.management.NotCompliantMBeanException {
      super(bean, EventLoopMXBean.class, true);
      this.bean = bean;
    }

    @Override
    public Object getAttribute(String attribute)
        throws javax.management.AttributeNotFoundException {
      switch (attribute) {
        case "PendingTaskCount":
          return bean.getPendingTaskCount();
        case "Running":
          return bean.isRunning();
        case "Closed":
          return bean.isClosed();
        case "Debug":
          return bean.isDebug();
        case "Time":
          return bean.getTime();
        case "ThreadName":
          return bean.getThreadName();
        default:
          throw new javax.management.AttributeNotFoundException(attribute);
      }
    }

    @Override
    public javax.management.AttributeList getAttributes(String[] attributes) {
      javax.management.AttributeList list = new javax.management.AttributeList();
      for (String a : attributes) {
        try {
          list.add(new javax.management.Attribute(a, getAttribute(a)));
        } catch (javax.management.AttributeNotFoundException | RuntimeException e) {
          // left out, as JMX leaves out an attribute it cannot read
        }
      }
      return list;
    }

    @Override
    public Object invoke(String operation, Object[] params, String[] signature)
        throws javax.management.ReflectionException {
      if (operation.equals("dumpTasks") && (params == null || params.length == 0)) {
        return bean.dumpTasks();
      }
      throw new javax.management.ReflectionException(
          new NoSuchMethodException(operation), "no operation " + operation);
    }
  }

  /** The MXBean of one loop; holds it weakly. */
  private static final class Bean implements EventLoopMXBean {
    private final WeakReference<EventLoop> loop;
    private final String name;

    Bean(EventLoop loop, String name) {
      this.loop = new WeakReference<>(loop);
      this.name = name;
    }

    private EventLoop loop() {
      EventLoop l = loop.get();
      if (l == null) {
        throw new IllegalStateException("event loop " + name + " was garbage-collected");
      }
      return l;
    }

    @Override
    public String dumpTasks() {
      return loop().dumpTasks(EventLoop.DUMP_TIMEOUT_MILLIS, name);
    }

    @Override
    public int getPendingTaskCount() {
      EventLoop l = loop();
      return l.isRunning() ? countTasks(l) : l.pendingTaskCount();
    }

    private static int countTasks(EventLoop l) {
      return l.onLoop(l::pendingTaskCount, EventLoop.DUMP_TIMEOUT_MILLIS, -1);
    }

    @Override
    public boolean isRunning() {
      return loop().isRunning();
    }

    @Override
    public boolean isClosed() {
      return loop().isClosed();
    }

    @Override
    public boolean isDebug() {
      return loop().getDebug();
    }

    @Override
    public double getTime() {
      return loop().time();
    }

    @Override
    public String getThreadName() {
      Thread t = loop().thread();
      return t == null ? null : t.getName();
    }
  }
}
