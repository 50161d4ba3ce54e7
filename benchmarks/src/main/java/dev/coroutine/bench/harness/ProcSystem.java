package dev.coroutine.bench.harness;

import java.util.List;

/**
 * A JVM system of the process-level workloads, or Python when {@code java} is null; {@code
 * classpath} replaces the harness's own class path when not null (the agent rows: our workloads as
 * javac wrote them, first).
 */
record ProcSystem(
    String label, String key, String jdk, String java, List<String> flags, String classpath) {
  ProcSystem(String label, String key, String jdk, String java, List<String> flags) {
    this(label, key, jdk, java, flags, null);
  }

  /** A name for this system's log files, unique among the systems of one part. */
  String tag() {
    String major = jdk.replaceAll("^\\D*(\\d+).*$", "$1");
    return key + "-" + major + (classpath == null ? "" : "-agent");
  }
}
