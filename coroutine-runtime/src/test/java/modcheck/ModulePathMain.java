package modcheck;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.sync.Queue;
import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Run by {@code ModuleDescriptorTest} in a child JVM with the runtime on the module path: prints
 * the runtime's module, the outcome of a small program (a queue, gather, sleep), what reaching into
 * the unexported {@code dev.coroutine.internal} gives, and what a loop's MXBean reads.
 */
public final class ModulePathMain {
  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println(Coroutines.class.getModule());
    Coroutine<List<Integer>> main = Coroutines.toThread(() -> List.of(40, 2));
    List<Integer> parts = Coroutines.run(main);
    Queue<Integer> q = new Queue<>();
    q.putNowait(parts.get(0) + parts.get(1));
    System.out.println("run: " + q.getNowait());
    try {
      Class.forName("dev.coroutine.internal.Futures")
          .getMethod("failureOf", Future.class)
          .invoke(null, new Future<Object>());
      System.out.println("internal: accessible");
    } catch (IllegalAccessException e) {
      System.out.println("internal: IllegalAccessException");
    }
    // -Dcoroutine.jmx=true registers each loop's MXBean: read it as JConsole would (JMX reflected
    // through an unnamed module's class, which the named module did not let in: every read failed)
    EventLoop loop = new EventLoop();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    for (ObjectName n : server.queryNames(new ObjectName("dev.coroutine:type=EventLoop,*"), null)) {
      System.out.println(
          "jmx: closed="
              + server.getAttribute(n, "Closed")
              + " pending="
              + server.getAttribute(n, "PendingTaskCount")
              + " attributes="
              + server.getAttributes(n, new String[] {"Running", "Debug"}).size());
      String dump = (String) server.invoke(n, "dumpTasks", null, null);
      System.out.println("jmx dump: " + dump.lines().findFirst().orElse(""));
    }
    loop.close();
  }
}
