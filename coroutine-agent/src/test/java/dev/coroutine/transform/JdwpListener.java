package dev.coroutine.transform;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.ListeningConnector;
import java.io.IOException;
import java.util.Map;

/**
 * A JDI socket listener on a free local port, for a debuggee started with {@link #jdwpOption()}
 * (the debuggee connects to us, so no port is guessed); {@link #accept()} takes its connection and
 * stops listening.
 */
public final class JdwpListener {
  private final ListeningConnector connector;
  private final Map<String, Connector.Argument> args;
  private final String address;

  private JdwpListener(long timeoutMillis) throws Exception {
    connector =
        Bootstrap.virtualMachineManager().listeningConnectors().stream()
            .filter(c -> c.name().equals("com.sun.jdi.SocketListen"))
            .findFirst()
            .orElseThrow();
    args = connector.defaultArguments();
    args.get("localAddress").setValue("127.0.0.1");
    args.get("port").setValue("0");
    args.get("timeout").setValue(String.valueOf(timeoutMillis));
    address = connector.startListening(args);
  }

  /**
   * Starts listening.
   *
   * @param timeoutMillis how long {@link #accept()} waits for the debuggee
   * @return the listener
   * @throws Exception if JDI cannot listen
   */
  public static JdwpListener start(long timeoutMillis) throws Exception {
    return new JdwpListener(timeoutMillis);
  }

  /**
   * The debuggee's JVM option: connect here, suspended until the debugger resumes it.
   *
   * @return the {@code -agentlib:jdwp=...} option
   */
  public String jdwpOption() {
    return "-agentlib:jdwp=transport=dt_socket,server=n,suspend=y,address=" + address;
  }

  /**
   * Waits for the debuggee, then stops listening.
   *
   * @return the debuggee's virtual machine
   * @throws IOException if the debuggee does not connect in time
   * @throws Exception on other JDI failures
   */
  public VirtualMachine accept() throws Exception {
    try {
      return connector.accept(args);
    } finally {
      connector.stopListening(args);
    }
  }
}
