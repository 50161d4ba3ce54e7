package dev.coroutine.bench.harness;

import java.util.List;

/**
 * A JMH system: the benchmark method name and the JVM its forks run on; {@code classpath} is the
 * forks' class path when not null (else the harness's).
 */
record JmhSystem(
    String label, String method, String jdk, String java, List<String> flags, String classpath) {
  JmhSystem(String label, String method, String jdk, String java, List<String> flags) {
    this(label, method, jdk, java, flags, null);
  }
}
