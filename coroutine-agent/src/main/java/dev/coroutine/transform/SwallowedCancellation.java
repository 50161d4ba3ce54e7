package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * Finds the exception handlers of a coroutine method that swallow cancellation: a cancelled task
 * gets {@code CancellationException} thrown at its current await; the handler the JVM picks for it
 * there (the first entry of the exception table covering the await whose type it is an instance of)
 * must throw it again, or the task goes on as if never cancelled ({@code waitFor} cannot time out).
 * A handler that rethrows passes it on to the handler covering its {@code athrow}, which is checked
 * the same way.
 */
final class SwallowedCancellation {
  private SwallowedCancellation() {}

  /**
   * The types a CancellationException is an instance of: as handler types (null: any), and as the
   * casts it passes ({@link ValueOrigins}).
   */
  static final Set<String> CANCELLATION_IS_A =
      Set.of(
          "java/lang/Object",
          "java/io/Serializable",
          "java/lang/Throwable",
          "java/lang/Exception",
          "java/lang/RuntimeException",
          "java/lang/IllegalStateException",
          "java/util/concurrent/CancellationException");

  /** The handlers of {@code m} (one entry per handler code) that swallow a cancellation. */
  static List<TryCatchBlockNode> find(
      MethodNode m, List<MethodInsnNode> awaits, ValueOrigins.Memo analyses) {
    List<TryCatchBlockNode> swallowing = new ArrayList<>();
    if (awaits.isEmpty() || !anyCatchesCancellation(m)) {
      return swallowing;
    }
    ValueOrigins origins = analyses.of(m);
    if (!origins.analyzed()) {
      return swallowing;
    }
    Deque<AbstractInsnNode> throwSites = new ArrayDeque<>(awaits);
    Set<LabelNode> seen = new HashSet<>();
    while (!throwSites.isEmpty()) {
      TryCatchBlockNode h = receiver(m, throwSites.pop());
      if (h == null || !seen.add(h.handler)) {
        continue;
      }
      List<AbstractInsnNode> rethrows = origins.rethrows(h);
      if (rethrows.isEmpty() || decidedByScalaNonFatal(h, origins)) {
        swallowing.add(h);
      } else {
        throwSites.addAll(rethrows);
      }
    }
    return swallowing;
  }

  /**
   * Scala's {@code case NonFatal(e) => ...}: the handler rethrows only what {@code NonFatal} does
   * not match, and it matches a {@code CancellationException} (a {@code RuntimeException}).
   */
  private static boolean decidedByScalaNonFatal(TryCatchBlockNode h, ValueOrigins origins) {
    return origins.passesCaughtTo(h, "scala/util/control/NonFatal$", Set.of("unapply", "apply"));
  }

  /** How a warning names the handler: {@code catch (Exception e)}-like, or {@code finally}. */
  static String describe(TryCatchBlockNode h) {
    if (h.type == null) {
      return "a finally block (or catch-all handler)";
    }
    return "catch (" + h.type.substring(h.type.lastIndexOf('/') + 1) + ")";
  }

  private static boolean anyCatchesCancellation(MethodNode m) {
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      if (t.type == null || CANCELLATION_IS_A.contains(t.type)) {
        return true;
      }
    }
    return false;
  }

  /** The handler a CancellationException thrown at {@code site} goes to, or null. */
  private static TryCatchBlockNode receiver(MethodNode m, AbstractInsnNode site) {
    int at = m.instructions.indexOf(site);
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      if (m.instructions.indexOf(t.start) <= at
          && at < m.instructions.indexOf(t.end)
          && (t.type == null || CANCELLATION_IS_A.contains(t.type))) {
        return t;
      }
    }
    return null;
  }
}
