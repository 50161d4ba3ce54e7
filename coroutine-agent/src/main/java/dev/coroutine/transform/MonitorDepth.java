package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;

/**
 * How many monitors (or thread-owned locks, see {@link #ofThreadLocks}) a method may hold before
 * each of its instructions: a forward data flow over the whole method, through branches, switches,
 * subroutines and exception handlers, that counts {@code monitorenter} up and {@code monitorexit}
 * down (or a lock's {@code lock()} and {@code unlock()}). It looks at no particular bytecode shape
 * (where javac, ECJ or a hand-written class put their catch-all ranges, a {@code nop} between the
 * enter and the range), so a suspension point inside any {@code synchronized} region is found.
 *
 * <p>Invariant: {@code depth[i]} is the largest count on any path reaching instruction {@code i} (a
 * may-analysis: 0 means no path holds a monitor there), or -1 if no path reaches it. An exception
 * leaves an instruction with the count it had before the instruction, and goes to every handler
 * covering it up to and including the first one that catches everything (the JVM stops there), so a
 * {@code catch} around a whole {@code synchronized} block is not taken for inside it.
 */
final class MonitorDepth {
  /** Unreachable instruction. */
  static final int UNREACHABLE = -1;

  private MonitorDepth() {}

  /**
   * Owners whose {@code lock()} a thread holds until it calls {@code unlock()}: the JDK's {@code
   * Lock} implementations (Lombok's {@code @Locked} uses {@code ReentrantLock}) and {@code
   * StampedLock}.
   */
  private static final Set<String> LOCK_OWNERS =
      Set.of(
          "java/util/concurrent/locks/Lock",
          "java/util/concurrent/locks/ReentrantLock",
          "java/util/concurrent/locks/ReentrantReadWriteLock$ReadLock",
          "java/util/concurrent/locks/ReentrantReadWriteLock$WriteLock",
          "java/util/concurrent/locks/StampedLock");

  /**
   * Their methods that take the lock and wait for it ({@code tryLock} counts only where its result
   * said it took the lock: see {@link #tryLockJump}).
   */
  private static final Set<String> ACQUIRES =
      Set.of(
          "lock()V",
          "lockInterruptibly()V",
          "readLock()J",
          "writeLock()J",
          "readLockInterruptibly()J",
          "writeLockInterruptibly()J");

  /** And those that let it go. */
  private static final Set<String> RELEASES =
      Set.of(
          "unlock()V",
          "unlockRead(J)V",
          "unlockWrite(J)V",
          "unlock(J)V",
          "tryUnlockRead()Z",
          "tryUnlockWrite()Z");

  /** What is counted: what takes one and what lets it go. */
  private enum Held {
    /** {@code monitorenter} and {@code monitorexit}. */
    MONITORS {
      @Override
      int change(AbstractInsnNode i) {
        int op = i.getOpcode();
        return op == Opcodes.MONITORENTER ? 1 : op == Opcodes.MONITOREXIT ? -1 : 0;
      }

      @Override
      int jump(AbstractInsnNode i) {
        return 0;
      }
    },
    /** The JDK's locks, by their calls; a {@code tryLock} on the edge that took it. */
    THREAD_LOCKS {
      @Override
      int change(AbstractInsnNode i) {
        return lockChange(i);
      }

      @Override
      int jump(AbstractInsnNode i) {
        return tryLockJump(i);
      }
    };

    /** +1 if {@code i} takes one, -1 if it lets one go, else 0. */
    abstract int change(AbstractInsnNode i);

    /** For a conditional jump: +1 if one is taken on its target edge, -1 on its fall-through. */
    abstract int jump(AbstractInsnNode i);
  }

  /** The may-depth before each instruction of {@code m}, indexed as {@code m.instructions}. */
  static int[] of(MethodNode m) {
    return of(m, Held.MONITORS);
  }

  /**
   * How many {@code java.util.concurrent} locks {@code m} may hold before each instruction, counted
   * by the calls that take and release them (whatever lock object they are called on).
   */
  static int[] ofThreadLocks(MethodNode m) {
    return of(m, Held.THREAD_LOCKS);
  }

  /**
   * For a jump right after a {@code tryLock} that tests its result: whether the lock is held on the
   * jump's target (+1 there, 0 on the fall-through: {@code ifne}) or on the fall-through ({@code
   * ifeq}, as {@code if (lock.tryLock()) {...}} compiles). 0 for other instructions.
   */
  private static int tryLockJump(AbstractInsnNode i) {
    int op = i.getOpcode();
    if (op != Opcodes.IFEQ && op != Opcodes.IFNE) {
      return 0;
    }
    AbstractInsnNode p = Insns.previousReal(i);
    if (!(p instanceof MethodInsnNode)
        || !LOCK_OWNERS.contains(((MethodInsnNode) p).owner)
        || !((MethodInsnNode) p).name.equals("tryLock")
        || !((MethodInsnNode) p).desc.endsWith(")Z")) {
      return 0;
    }
    return op == Opcodes.IFNE ? 1 : -1; // +1: held at the target; -1: held on the fall-through
  }

  private static int lockChange(AbstractInsnNode i) {
    if (!(i instanceof MethodInsnNode) || !LOCK_OWNERS.contains(((MethodInsnNode) i).owner)) {
      return 0;
    }
    String call = ((MethodInsnNode) i).name + ((MethodInsnNode) i).desc;
    return ACQUIRES.contains(call) ? 1 : RELEASES.contains(call) ? -1 : 0;
  }

  /** True if {@code m} calls a method that takes a lock {@link #ofThreadLocks} counts. */
  static boolean takesThreadLocks(MethodNode m) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (lockChange(i) > 0 || tryLockJump(i) != 0) {
        return true;
      }
    }
    return false;
  }

  /** The may-depth before each instruction, counting what {@code held} counts. */
  private static int[] of(MethodNode m, Held held) {
    InsnList insns = m.instructions;
    int n = insns.size();
    int[] depth = new int[n];
    Arrays.fill(depth, UNREACHABLE);
    if (n == 0) {
      return depth;
    }
    // a loop that enters without exiting would count forever: no path holds more monitors than
    // the method has monitorenter instructions, so counts stop there
    int cap = 0;
    List<Integer> afterJsr = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int op = insns.get(i).getOpcode();
      if (held.change(insns.get(i)) > 0 || held.jump(insns.get(i)) != 0) {
        cap++;
      } else if (op == Opcodes.JSR && i + 1 < n) {
        afterJsr.add(i + 1);
      }
    }
    List<List<Integer>> handlers = handlers(m, n);
    ArrayDeque<Integer> work = new ArrayDeque<>();
    depth[0] = 0;
    work.add(0);
    List<Integer> next = new ArrayList<>(4);
    while (!work.isEmpty()) {
      int i = work.poll();
      int in = depth[i];
      AbstractInsnNode insn = insns.get(i);
      int delta = held.change(insn);
      int out = delta > 0 ? Math.min(in + 1, cap) : delta < 0 ? Math.max(in - 1, 0) : in;
      next.clear();
      successors(insns, insn, i, afterJsr, next);
      int jump = held.jump(insn);
      int target = jump == 0 ? -1 : insns.indexOf(((JumpInsnNode) insn).label);
      for (int s : next) {
        boolean taken = jump > 0 ? s == target : jump < 0 && s != target;
        flow(depth, work, s, taken ? Math.min(out + 1, cap) : out);
      }
      for (int h : handlers.get(i)) {
        flow(depth, work, h, in);
      }
    }
    return depth;
  }

  private static void flow(int[] depth, ArrayDeque<Integer> work, int to, int value) {
    if (value > depth[to]) {
      depth[to] = value;
      work.add(to);
    }
  }

  /** Where an exception thrown at each instruction may go. */
  private static List<List<Integer>> handlers(MethodNode m, int n) {
    InsnList insns = m.instructions;
    List<List<Integer>> handlers = new ArrayList<>(n);
    boolean[] caughtAll = new boolean[n];
    for (int i = 0; i < n; i++) {
      handlers.add(new ArrayList<>(1));
    }
    if (m.tryCatchBlocks == null) {
      return handlers;
    }
    for (TryCatchBlockNode t : m.tryCatchBlocks) {
      int start = insns.indexOf(t.start);
      int end = insns.indexOf(t.end);
      int handler = insns.indexOf(t.handler);
      boolean all = t.type == null || t.type.equals("java/lang/Throwable");
      for (int i = start; i < end; i++) {
        if (!caughtAll[i]) {
          handlers.get(i).add(handler);
          caughtAll[i] = all;
        }
      }
    }
    return handlers;
  }

  /** The normal successors of {@code insn} (index {@code i}), added to {@code out}. */
  private static void successors(
      InsnList insns, AbstractInsnNode insn, int i, List<Integer> afterJsr, List<Integer> out) {
    for (LabelNode l : Insns.jumpTargets(insn)) {
      out.add(insns.indexOf(l));
    }
    int op = insn.getOpcode();
    if (op == Opcodes.RET) {
      out.addAll(afterJsr); // back to after some jsr: all of them, conservatively
    } else if (!Insns.endsFlow(op)) {
      addNext(insns, i, out); // a conditional jump also falls through
    }
  }

  private static void addNext(InsnList insns, int i, List<Integer> out) {
    if (i + 1 < insns.size()) {
      out.add(i + 1);
    }
  }
}
