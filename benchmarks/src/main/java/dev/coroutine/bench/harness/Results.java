package dev.coroutine.bench.harness;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run measured so far: the table's rows in the order the parts ran, the notes (failures,
 * skipped parts), and the figures that have no row of their own (T2's in-process pre-filter, S1's
 * section). Every part appends here; the report reads it once at the end.
 */
final class Results {
  /** The table's rows, in the order measured (the report orders them by workload). */
  final List<Row> rows = new ArrayList<>();

  /** Lines for "Notes from this run": what failed or was skipped, and why. */
  final List<String> notes = new ArrayList<>();

  /** T2's in-process pre-filter figures: cold and warm µs per class, classes let through. */
  double[] prefilterUs;

  /** T2's number of classes each load run attempted (loaded and unloadable). */
  int t2Loaded = 1;

  /** S1's section of the report, or null when S1 did not run (the last one is kept). */
  String codeSizeSection;

  /** Ours (plugin-built) on {@code jdk} for {@code workload}, or null. */
  Row ours(String workload, String jdk) {
    return row(workload, Systems.OURS, jdk);
  }

  /** The row of {@code system} for {@code workload} on {@code jdk}, or null. */
  Row row(String workload, String system, String jdk) {
    for (Row r : rows) {
      if (r.workload().equals(workload) && r.system().equals(system) && r.jdk().equals(jdk)) {
        return r;
      }
    }
    return null;
  }
}
