package dev.coroutine.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Compares traces: applies a documented difference ({@link Differs}) to asyncio's trace, and
 * renders two traces side by side, marking the lines that differ, for a failure message.
 */
final class TraceDiff {
  private TraceDiff() {}

  /**
   * asyncio's trace with the contiguous lines {@code block} replaced by {@code ours}; an
   * AssertionError if asyncio's trace no longer has the block (the difference is stale).
   */
  static List<String> withDifference(
      String id, String pythonVersion, List<String> asyncio, String[] block, String[] ours) {
    List<String> b = Arrays.asList(block);
    int at = b.isEmpty() ? asyncio.size() : Collections.indexOfSubList(asyncio, b);
    if (at < 0) {
      throw new AssertionError(
          id
              + " declares a difference from asyncio (@Differs), but asyncio's trace (Python "
              + pythonVersion
              + ") no longer has the lines "
              + b
              + ":\n  "
              + String.join("\n  ", asyncio)
              + "\nUpdate or remove the @Differs.");
    }
    List<String> out = new ArrayList<>(asyncio.subList(0, at));
    out.addAll(Arrays.asList(ours));
    out.addAll(asyncio.subList(at + b.size(), asyncio.size()));
    return out;
  }

  /** The message for scenario {@code id} whose Java trace is not asyncio's. */
  static String render(
      String id,
      String pythonVersion,
      boolean withDifference,
      List<String> asyncio,
      List<String> java) {
    int first = 0;
    while (first < asyncio.size()
        && first < java.size()
        && asyncio.get(first).equals(java.get(first))) {
      first++;
    }
    int width = "asyncio".length();
    for (String s : asyncio) {
      width = Math.max(width, Math.min(s.length(), 60));
    }
    StringBuilder b = new StringBuilder();
    b.append("scenario ")
        .append(id)
        .append(": the Java trace differs from asyncio's (Python ")
        .append(pythonVersion)
        .append(withDifference ? ", with the documented @Differs applied" : "")
        .append(") from line ")
        .append(first + 1)
        .append('\n');
    b.append(String.format("     %-" + width + "s | %s%n", "asyncio", "java"));
    int n = Math.max(asyncio.size(), java.size());
    for (int i = 0; i < n; i++) {
      String a = i < asyncio.size() ? asyncio.get(i) : "(none)";
      String j = i < java.size() ? java.get(i) : "(none)";
      boolean same = i < asyncio.size() && i < java.size() && a.equals(j);
      b.append(String.format("%s%3d %-" + width + "s | %s%n", same ? " " : "!", i + 1, a, j));
    }
    return b.toString();
  }
}
