package dev.coroutine.bench.harness;

import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * What the JDK alone charges at first use for what the runtime puts off (no runtime of ours
 * involved), in a fresh JVM: the first {@code System.getLogger} (the logging back end starts), then
 * {@code FlightRecorder.addListener}, then the load of a first {@code jdk.jfr.Event} subclass.
 * Prints {@code logger-ms}, {@code listener-ms} and {@code event-ms}; {@link StartupBench} runs it.
 */
public final class JdkFirstUseCost {
  private JdkFirstUseCost() {}

  /** An event class of our own, never committed. */
  static final class Probe extends Event {}

  public static void main(String[] args) {
    long t0 = System.nanoTime();
    boolean loggable = System.getLogger("dev.coroutine.bench").isLoggable(System.Logger.Level.INFO);
    long t1 = System.nanoTime();
    FlightRecorder.addListener(new FlightRecorderListener() {});
    long t2 = System.nanoTime();
    boolean enabled = new Probe().isEnabled();
    long t3 = System.nanoTime();
    System.out.println("logger-ms " + (t1 - t0) / 1e6 + (loggable ? "" : " (not loggable)"));
    System.out.println("listener-ms " + (t2 - t1) / 1e6);
    System.out.println("event-ms " + (t3 - t2) / 1e6 + (enabled ? " (a recording ran)" : ""));
  }
}
