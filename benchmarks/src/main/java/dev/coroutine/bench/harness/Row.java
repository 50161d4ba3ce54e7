package dev.coroutine.bench.harness;

import java.util.Map;

/**
 * One line of the results table.
 *
 * @param workload W1..W6, T1, T2, or IO-1, IO-100, IO-1000 (echo at that many connections; IO-16K-n
 *     with 16 KiB messages, IO-TLS-n over TLS)
 * @param system who ran it ("ours", "kotlinx", ...)
 * @param jdk the JDK (or Python) it ran on
 * @param unit unit of the median, e.g. "ns/op"
 * @param stats median and range, or null if the run failed
 * @param metrics memory and other figures by name: "alloc B/op", "peak RSS MiB", "heap B/task",
 *     "MB/s each way", ...
 * @param flags the JVM flags of the run
 * @param lowerIsBetter true for times, false for rates
 */
record Row(
    String workload,
    String system,
    String jdk,
    String unit,
    Stats stats,
    Map<String, Double> metrics,
    String flags,
    boolean lowerIsBetter) {}
