package monitoring;

import dev.coroutine.EventLoop;
import java.lang.management.ManagementFactory;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A child JVM's program for {@code DebugMonitoringTest}: reads a loop's MXBean through the platform
 * MBean server, as JConsole would, with the runtime as the named module {@code dev.coroutine}. In a
 * package of its own: the runtime's module owns {@code dev.coroutine}.
 */
public final class ModulePathJmx {
  private ModulePathJmx() {}

  public static void main(String[] args) throws Exception {
    EventLoop loop = new EventLoop();
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    ObjectName name = new ObjectName("dev.coroutine:type=EventLoop,name=loop-1");
    System.out.println("named module: " + EventLoop.class.getModule().isNamed());
    System.out.println("closed: " + server.getAttribute(name, "Closed"));
    System.out.println("pending: " + server.getAttribute(name, "PendingTaskCount"));
    System.out.println(
        "attributes: " + server.getAttributes(name, new String[] {"Running", "Debug"}).size());
    System.out.println(server.invoke(name, "dumpTasks", null, null));
    loop.close();
  }
}
