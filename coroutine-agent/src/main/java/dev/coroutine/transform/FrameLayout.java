package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;

/**
 * Where one coroutine body keeps its values in its {@code AsyncFrame} across its awaits, and which
 * awaits share save and restore code (see coroutine-runtime/PROTOCOL.md).
 *
 * <p>The awaits are put into {@link Group}s: a group saves and restores one set of locals (the
 * union of what its awaits keep live) with one save block and one restore block. An await whose own
 * live locals are a subset of its group's first stores a constant into each slot it lacks (null, or
 * a zero), so the shared block saves nothing that the await does not need: a dead reference is
 * never kept reachable from a suspended frame. Groups are chosen by a byte-cost estimate ({@link
 * #group}): joining one saves its whole block pair, and costs a three-byte store per slot an await
 * lacks.
 *
 * <p>Invariant: within a group every slot has one type (including "known null", which is never a
 * supertype's); no two of its slots overlap (a long or double takes two); an await's own slots have
 * the same types as in its group. So a restore block is valid for every await of its group, and
 * after a resume each slot live at the await holds the value it held.
 */
final class FrameLayout {
  /**
   * A value moved between a local (or a spill slot) and the frame.
   *
   * @param var the local slot
   * @param type its type as the verifier sees it, or null for a known null (not saved)
   * @param index its number among saved references (0 is {@code ref0}) or primitives (0 is {@code
   *     prim0} when int-sized)
   */
  record Saved(int var, Type type, int index) {
    boolean isRef() {
      return Insns.isReference(type);
    }

    /**
     * True if the value is kept in the frame's int field {@code prim0}: primitive number 0 of an
     * int-sized type (float as raw bits); a long or double number 0 goes to {@code prims[0]}.
     */
    boolean inPrim0() {
      if (index != 0 || type == null) {
        return false;
      }
      int sort = type.getSort();
      return sort != Type.LONG && sort != Type.DOUBLE && !Insns.isReference(type);
    }
  }

  /**
   * What one await keeps across it.
   *
   * @param locals the live locals with a usable value, slot to verifier type ({@link
   *     TypeInterpreter#NULL_TYPE} for a known null)
   * @param stack the operand stack under the awaitable, bottom first (the same null type)
   */
  record Shape(SortedMap<Integer, Type> locals, List<StackValue> stack) {}

  /**
   * A value under an awaitable.
   *
   * @param type its verifier type ({@link TypeInterpreter#NULL_TYPE} for a known null)
   * @param source where a resume pushes it again from (a constant, or a local the await keeps), or
   *     null if it is saved in the frame
   */
  record StackValue(Type type, Rematerialization.Source source) {}

  /** One await of the body. */
  static final class Await {
    /** The {@code Coroutines.await} call it replaces. */
    final MethodInsnNode call;

    /** Its source line, or -1. */
    final int line;

    /** What it keeps. */
    final Shape shape;

    /** Where a resume lands: before the frame's await call, the awaitable being the frame. */
    final LabelNode resume = new LabelNode();

    /** Its group. */
    Group group;

    /** Its number within its group (its label is the group's first plus this). */
    int index;

    /** The unboxing of its value the body does in the runtime's typed await, or null. */
    final Unboxing unboxing;

    /** The block that saves its stack, then goes on to the group's. */
    SavePart save;

    Await(MethodInsnNode call, int line, Shape shape) {
      this.call = call;
      this.line = line;
      this.shape = shape;
      this.unboxing = Unboxing.after(call);
    }

    /** What its call leaves on the stack: the unboxed primitive's type, or null (an Object). */
    Type result() {
      return unboxing != null ? unboxing.type() : null;
    }
  }

  /**
   * The awaits that save one set of locals: the protocol's "locals layout". The awaits of the body
   * are numbered group after group, from 1 (label 0 is the method's start), so a group's labels are
   * one range: {@link #firstLabel} plus the await's index.
   */
  static final class Group {
    /** The group's number, from 1, in code order of its first await. */
    int id;

    /** The label of its await number 0. */
    int firstLabel;

    /** Every slot saved or set by the group's blocks, with its type. */
    final SortedMap<Integer, Type> slots = new TreeMap<>();

    /** The distinct local sets of its awaits (fill costs are counted per set). */
    final List<SortedMap<Integer, Type>> members = new ArrayList<>();

    /** The slots saved to the frame, references from 0 and primitives from 0. */
    List<Saved> saved;

    /** Slots holding a known null: not saved, set to null on restore. */
    List<Integer> nullLocals;

    /** References among {@link #saved}. */
    int refCount;

    /** Primitives among {@link #saved}. */
    int primCount;

    /** Start of the save block (the locals, then return SUSPEND). */
    final LabelNode save = new LabelNode();

    /** Start of the restore block: the label switch's target. */
    final LabelNode restore = new LabelNode();

    /** The awaits by index: those of each stack shape in one run, the empty stack first. */
    final List<Await> awaits = new ArrayList<>();

    /** Save parts, in the order of their first await. */
    final Map<SaveKey, SavePart> saveParts = new LinkedHashMap<>();

    /** Restore parts by stack shape, in index order. */
    final Map<List<StackValue>, RestorePart> restoreParts = new LinkedHashMap<>();

    /** The frame label of await number {@code index} of this group. */
    int label(int index) {
      return firstLabel + index;
    }

    /** The label after its last await's. */
    int endLabel() {
      return firstLabel + awaits.size();
    }
  }

  /**
   * What a save part depends on: per stack value, bottom first, the type it saves, or a list of the
   * type it pops (a value pushed again on resume; the type, not only the size, as the part's entry
   * frame has one type per stack entry); and the slots it fills.
   */
  record SaveKey(List<Object> stack, List<Integer> fill, Type result) {}

  /**
   * Entered from an await that suspended (its call has recorded the label), with its stack and
   * {@code SUSPEND} (or a typed await's meaningless primitive) on the operand stack: saves the
   * stack after the group's locals, fills the slots the await lacks, and goes on into the group's
   * save block.
   */
  static final class SavePart {
    /** Start of the part. */
    final LabelNode start = new LabelNode();

    /** The primitive a typed await left on the stack, or null for {@code SUSPEND}. */
    final Type result;

    /**
     * Spill slot, type and frame index of each stack value; type null for one not saved (a null, or
     * one {@link #values} says a resume pushes again).
     */
    final List<Saved> stack;

    /** The stack values, bottom first, as the await's shape has them. */
    final List<StackValue> values;

    /** Slots of the group the await does not keep: set to null or zero before the save. */
    final List<Saved> fill;

    /** References the frame needs for this part: its group's, or up to its last stack one. */
    final int refTotal;

    /** Primitives saved in all. */
    final int primTotal;

    SavePart(
        List<Saved> stack,
        List<StackValue> values,
        List<Saved> fill,
        int refTotal,
        int primTotal,
        Type result) {
      this.result = result;
      this.stack = stack;
      this.values = values;
      this.fill = fill;
      this.refTotal = refTotal;
      this.primTotal = primTotal;
    }
  }

  /**
   * Reached from the group's restore block for the awaits of one stack shape (indices {@code first}
   * to {@code first + count - 1}): pushes the stack back, then the frame (the awaitable of the
   * resume), and dispatches to the await's resume point.
   */
  static final class RestorePart {
    /** Start of the part. */
    final LabelNode start = new LabelNode();

    /** The stack values, bottom first, as {@link SavePart#stack}. */
    final List<Saved> stack;

    /** The stack values as the awaits' shape has them, as {@link SavePart#values}. */
    final List<StackValue> values;

    /** Index of the part's first await. */
    int first;

    /** Its awaits, in index order. */
    final List<Await> awaits = new ArrayList<>();

    RestorePart(List<Saved> stack, List<StackValue> values) {
      this.stack = stack;
      this.values = values;
    }
  }

  /** The method's parameters as the stub saves them (from reference 0 and primitive 0). */
  final List<Saved> params;

  /** The body's local holding the frame. */
  final int frameVar;

  /** The awaits, in code order. */
  final List<Await> awaits;

  /** The groups, numbered in code order of their first await. */
  final List<Group> groups;

  /** Reference slots the frame has (at least the parameters'). */
  final int refs;

  /** Primitive slots the frame has. */
  final int prims;

  /** References some await saves, nulled after the start when fewer: the frame keeps these. */
  final int keptRefs;

  /**
   * References the largest group's locals take (indices 0 to this - 1); stack references are saved
   * above, and cleared again when restored.
   */
  final int localRefs;

  /**
   * Primitive slots the body sets to zero at its top, before the label switch, instead of in the
   * save parts of the awaits that lack them (see {@link #of}).
   */
  final List<Saved> zeroedAtTop;

  /** True if no await saves a primitive: the array only carried parameters. */
  final boolean dropPrims;

  /**
   * True if some primitive (a parameter, a group's local, a stack value) is kept in the {@code
   * prims} array, not in {@code prim0}: the frame then has the array.
   */
  final boolean primArray;

  private FrameLayout(
      List<Saved> params,
      int frameVar,
      List<Await> awaits,
      List<Group> groups,
      int localRefs,
      List<Saved> zeroedAtTop) {
    this.zeroedAtTop = zeroedAtTop;
    this.localRefs = localRefs;
    this.params = params;
    this.frameVar = frameVar;
    this.awaits = awaits;
    this.groups = groups;
    int paramRefs = (int) params.stream().filter(Saved::isRef).count();
    int siteRefs = 0;
    int sitePrims = 0;
    for (Await a : awaits) {
      siteRefs = Math.max(siteRefs, a.save.refTotal);
      sitePrims = Math.max(sitePrims, a.save.primTotal);
    }
    this.refs = Math.max(paramRefs, siteRefs);
    this.prims = Math.max(params.size() - paramRefs, sitePrims);
    // reference 0 lives in the frame's field ref0, the others in the refs array; the array is
    // dropped after the start when no await needs it, so is ref0 when no await saves a reference
    this.keptRefs = siteRefs <= 1 ? siteRefs : refs;
    this.dropPrims = sitePrims == 0;
    boolean array = params.stream().anyMatch(FrameLayout::inPrimArray);
    for (Group g : groups) {
      array |= g.saved.stream().anyMatch(FrameLayout::inPrimArray);
      for (SavePart p : g.saveParts.values()) {
        array |= p.stack.stream().anyMatch(FrameLayout::inPrimArray);
      }
    }
    this.primArray = array;
  }

  private static boolean inPrimArray(Saved v) {
    return v.type() != null && !v.isRef() && !v.inPrim0();
  }

  /** The largest await label of the method (labels run from 1 over the groups in order). */
  int lastLabel() {
    return groups.isEmpty() ? 0 : groups.get(groups.size() - 1).endLabel() - 1;
  }

  /** The length of the frame's {@code prims} array: 0 when {@code prim0} holds all it needs. */
  int primArrayLength() {
    return primArray ? prims : 0;
  }

  /** The local holding a resuming frame's label while its group's restore block dispatches. */
  int labelVar() {
    return frameVar + 1;
  }

  /**
   * The layout of a body with these parameters and awaits (given in code order). {@code
   * singleTyped} tells whether a slot holds no value of another type than the given primitive one
   * anywhere in the method (nor half of a long or double): such a slot may be set to zero once, at
   * the body's top, instead of by every save part that fills it.
   */
  static FrameLayout of(
      List<Saved> params,
      int frameVar,
      List<Await> awaits,
      BiPredicate<Integer, Type> singleTyped) {
    List<Group> groups = group(awaits);
    int localRefs = 0;
    for (Group g : groups) {
      numberLocals(g);
      localRefs = Math.max(localRefs, g.refCount);
    }
    List<Saved> zeroed = zeroedAtTop(awaits, singleTyped);
    Set<Integer> zeroedSlots = new HashSet<>();
    zeroed.forEach(v -> zeroedSlots.add(v.var()));
    for (Group g : groups) {
      List<Await> own = new ArrayList<>();
      for (Await a : awaits) {
        if (a.group == g) {
          own.add(a);
        }
      }
      layOut(g, own, frameVar + 2, localRefs, zeroedSlots); // spill slots above the label's
    }
    int label = 1;
    for (Group g : groups) {
      g.firstLabel = label;
      label = g.endLabel();
    }
    return new FrameLayout(params, frameVar, awaits, groups, localRefs, zeroed);
  }

  /** The slots an await lacks, which its save part sets to null or zero before the group's save. */
  private static List<Saved> lacking(Await a) {
    List<Saved> fill = new ArrayList<>();
    for (Saved v : a.group.saved) {
      if (!a.shape.locals().containsKey(v.var())) {
        fill.add(v);
      }
    }
    return fill;
  }

  /**
   * The primitive slots set to zero once at the body's top instead of in the save parts: those that
   * at least two distinct save parts would fill (one store instead of several; for one part it
   * would cost as much) and that hold one primitive type throughout the method, so a zero there has
   * the type every path gives the slot and the shared blocks expect.
   */
  private static List<Saved> zeroedAtTop(
      List<Await> awaits, BiPredicate<Integer, Type> singleTyped) {
    Map<Integer, Set<List<Object>>> parts = new TreeMap<>();
    Map<Integer, Saved> slot = new HashMap<>();
    for (Await a : awaits) {
      List<Saved> fill = lacking(a);
      List<Integer> fillSlots = new ArrayList<>();
      fill.forEach(v -> fillSlots.add(v.var()));
      // what tells a save part from another of the group (see layOut)
      List<Object> key = Arrays.asList(a.group, a.shape.stack(), fillSlots, a.result());
      for (Saved v : fill) {
        if (!v.isRef()) {
          parts.computeIfAbsent(v.var(), k -> new HashSet<>()).add(key);
          slot.putIfAbsent(v.var(), v);
        }
      }
    }
    List<Saved> zeroed = new ArrayList<>();
    parts.forEach(
        (var, keys) -> {
          Saved v = slot.get(var);
          if (keys.size() >= 2 && singleTyped.test(var, v.type())) {
            zeroed.add(v);
          }
        });
    return zeroed;
  }

  /** The parameters' slots: {@code this} first, then each parameter. */
  static List<Saved> parameterSlots(Type self, Type[] params, boolean isStatic) {
    List<Saved> slots = new ArrayList<>();
    int var = 0;
    int refs = 0;
    int prims = 0;
    if (!isStatic) {
      slots.add(new Saved(0, self, refs++));
      var = 1;
    }
    for (Type p : params) {
      slots.add(new Saved(var, p, Insns.isReference(p) ? refs++ : prims++));
      var += p.getSize();
    }
    return slots;
  }

  // ---- choosing the groups -----------------------------------------------------------------

  /**
   * Puts the awaits into groups: distinct local sets, largest first, each joins the group where it
   * saves the most bytes, or starts its own. Deterministic: ties go to the earlier group.
   */
  private static List<Group> group(List<Await> awaits) {
    Map<SortedMap<Integer, Type>, List<Await>> bySet = new LinkedHashMap<>();
    for (Await a : awaits) {
      bySet.computeIfAbsent(a.shape.locals(), k -> new ArrayList<>()).add(a);
    }
    List<SortedMap<Integer, Type>> sets = new ArrayList<>(bySet.keySet());
    sets.sort(Comparator.comparingInt((SortedMap<Integer, Type> s) -> -s.size()));
    List<Group> groups = new ArrayList<>();
    for (SortedMap<Integer, Type> set : sets) {
      Group best = null;
      int bestDelta = 0;
      for (Group g : groups) {
        if (!compatible(g.slots, set)) {
          continue;
        }
        int delta = joinCost(g, set) - alone(set);
        if (delta < bestDelta) {
          best = g;
          bestDelta = delta;
        }
      }
      if (best == null) {
        best = new Group();
        groups.add(best);
      }
      best.slots.putAll(set);
      best.members.add(set);
      for (Await a : bySet.get(set)) {
        a.group = best;
      }
    }
    // numbered, and their awaits listed, in code order
    List<Group> ordered = new ArrayList<>();
    for (Await a : awaits) {
      if (!ordered.contains(a.group)) {
        ordered.add(a.group);
        a.group.id = ordered.size();
      }
    }
    return ordered;
  }

  /** True if {@code set} can join slots {@code u}: same types, no overlapping long or double. */
  static boolean compatible(SortedMap<Integer, Type> u, SortedMap<Integer, Type> set) {
    for (Map.Entry<Integer, Type> e : set.entrySet()) {
      int slot = e.getKey();
      Type there = u.get(slot);
      if (there != null && !there.equals(e.getValue())) {
        return false;
      }
      Type below = u.get(slot - 1);
      if (below != null && below.getSize() == 2) {
        return false;
      }
      if (e.getValue().getSize() == 2 && u.containsKey(slot + 1)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Estimated bytes the group {@code g} grows by when {@code set} joins it: its blocks for the
   * union, and the fills of every member (the new one's, and the old ones' for the new slots).
   */
  private static int joinCost(Group g, SortedMap<Integer, Type> set) {
    SortedMap<Integer, Type> union = new TreeMap<>(g.slots);
    union.putAll(set);
    int cost = blockCost(union) - blockCost(g.slots) + fillCost(set, union);
    for (SortedMap<Integer, Type> m : g.members) {
      cost += fillCost(m, union) - fillCost(m, g.slots);
    }
    return cost;
  }

  /** Estimated bytes of a group of its own for {@code set}. */
  private static int alone(SortedMap<Integer, Type> set) {
    return blockCost(set);
  }

  /** Bytes to fill the slots of {@code union} that {@code set} lacks: a constant and a store. */
  private static int fillCost(SortedMap<Integer, Type> set, SortedMap<Integer, Type> union) {
    int n = 0;
    for (Map.Entry<Integer, Type> e : union.entrySet()) {
      if (!set.containsKey(e.getKey()) && !e.getValue().equals(TypeInterpreter.NULL_TYPE)) {
        n += 3;
      }
    }
    return n;
  }

  /**
   * Estimated bytes of the save and restore blocks of a group saving {@code slots}: per value an
   * element store and load (with a cast or conversion), per array its fetch, per group its
   * label-switch entry, return and dispatch.
   */
  private static int blockCost(SortedMap<Integer, Type> slots) {
    int cost = 30;
    int refs = 0;
    int prims = 0;
    for (Type t : slots.values()) {
      if (t.equals(TypeInterpreter.NULL_TYPE)) {
        cost += 3;
      } else if (Insns.isReference(t)) {
        cost += refs++ == 0 ? 17 : 13;
      } else {
        cost += 12 + (t.getSort() == Type.LONG ? 0 : t.getSort() == Type.INT ? 2 : 6);
        prims++;
      }
    }
    return cost + (refs > 1 ? 10 : 0) + (prims > 0 ? 10 : 0);
  }

  // ---- numbering what each group saves -----------------------------------------------------

  /** Numbers the group's saved slots: references from 0, primitives from 0, in slot order. */
  private static void numberLocals(Group g) {
    g.saved = new ArrayList<>();
    g.nullLocals = new ArrayList<>();
    int[] counts = new int[2];
    for (Map.Entry<Integer, Type> e : g.slots.entrySet()) {
      if (e.getValue().equals(TypeInterpreter.NULL_TYPE)) {
        g.nullLocals.add(e.getKey());
      } else {
        g.saved.add(saved(e.getKey(), e.getValue(), counts));
      }
    }
    g.refCount = counts[0];
    g.primCount = counts[1];
  }

  /**
   * Numbers the group's awaits and makes its save and restore parts. {@code own} are the group's
   * awaits in code order; by index, those with an empty stack come first, then each stack shape's
   * in one run (a restore part serves a range of indices). Stack references are saved from {@code
   * localRefs} (above every group's locals, so a group's save block can null the locals of larger
   * groups without touching them), stack primitives after the group's.
   */
  private static void layOut(
      Group g, List<Await> own, int spillBase, int localRefs, Set<Integer> zeroedAtTop) {
    Map<List<StackValue>, List<Await>> byStack = new LinkedHashMap<>();
    byStack.put(List.of(), new ArrayList<>());
    for (Await a : own) {
      byStack.computeIfAbsent(a.shape.stack(), k -> new ArrayList<>()).add(a);
    }
    for (Map.Entry<List<StackValue>, List<Await>> e : byStack.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      int[] c = {localRefs, g.primCount};
      List<Saved> stack = new ArrayList<>();
      int var = spillBase;
      for (StackValue sv : e.getKey()) {
        Type t = sv.type();
        if (t.equals(TypeInterpreter.NULL_TYPE) || sv.source() != null) {
          stack.add(new Saved(var, null, -1)); // pushed again on resume: null, constant, local
        } else {
          stack.add(saved(var, t, c));
        }
        var += t.equals(TypeInterpreter.NULL_TYPE) ? 1 : t.getSize();
      }
      List<Object> saveForm = new ArrayList<>();
      for (int j = 0; j < stack.size(); j++) {
        Type saved = stack.get(j).type();
        saveForm.add(saved != null ? saved : List.of(e.getKey().get(j).type())); // popped
      }
      RestorePart r = new RestorePart(stack, e.getKey());
      r.first = g.awaits.size();
      g.restoreParts.put(e.getKey(), r);
      for (Await a : e.getValue()) {
        a.index = g.awaits.size();
        g.awaits.add(a);
        r.awaits.add(a);
        List<Saved> fill = new ArrayList<>();
        List<Integer> fillSlots = new ArrayList<>();
        for (Saved v : lacking(a)) {
          if (!zeroedAtTop.contains(v.var())) {
            fill.add(v);
            fillSlots.add(v.var());
          }
        }
        int refTotal = c[0] > localRefs ? c[0] : g.refCount;
        a.save =
            g.saveParts.computeIfAbsent(
                new SaveKey(saveForm, fillSlots, a.result()),
                k -> new SavePart(stack, e.getKey(), fill, refTotal, c[1], k.result()));
      }
    }
  }

  /** Slot {@code var} of type {@code t} saved as the next reference or primitive. */
  private static Saved saved(int var, Type t, int[] counts) {
    boolean ref = Insns.isReference(t);
    return new Saved(var, t, ref ? counts[0]++ : counts[1]++);
  }
}
