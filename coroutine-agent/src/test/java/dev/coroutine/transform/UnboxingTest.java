package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * An await whose value the code unboxes at once goes through the runtime's typed await (the
 * unboxing done there, a suspension told in {@code prim0}), and computes what plain Java computes,
 * suspended or not, with the unboxing's own failures at the same place; and a slot that holds one
 * primitive type throughout is set to zero once at the body's top instead of by each save part, but
 * a slot that holds another type anywhere, even only right before a merge, is not.
 */
@Timeout(60) // a suspension told wrongly leaves a coroutine waiting for nothing
class UnboxingTest {
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void everyFusedType_computesWhatPlainJavaComputes(boolean s) throws Throwable {
    Class<?> c = Samples.load("Unboxing");
    for (int n : new int[] {-7, 0, 5, 30}) {
      List<String> log = Samples.log();
      Object plain = Samples.invoke(c, "everyTypePlain", n);
      assertThat(Samples.run(c, "everyType", log, s, n)).as("n=" + n).isEqualTo(plain);
      assertThat(log).as("suspended at every await").hasSize(s ? (n > 0 ? 5 : 4) : 0);
    }
  }

  @Test
  void everyFusedType_callsItsTypedAwait_andUnboxesNothingItself() {
    MethodNode body = body("everyType");
    assertThat(calls(body, "awaitInt")).isEqualTo(1);
    assertThat(calls(body, "awaitLong")).isEqualTo(1);
    assertThat(calls(body, "awaitDouble")).isEqualTo(1);
    assertThat(calls(body, "awaitBoolean")).isEqualTo(1);
    assertThat(calls(body, "await")).as("the char: the generic await").isEqualTo(1);
    for (AbstractInsnNode i : body.instructions) {
      if (i instanceof MethodInsnNode && ((MethodInsnNode) i).name.matches("await[A-Z].*")) {
        // the typed await, then the suspension test on prim0; no cast, no xValue() after it
        assertThat(i.getNext().getOpcode()).isEqualTo(Opcodes.ALOAD);
        FieldInsnNode read = (FieldInsnNode) i.getNext().getNext();
        assertThat(read.name).isEqualTo("prim0");
        assertThat(read.getNext().getOpcode()).isEqualTo(Opcodes.IFNE);
      }
    }
    for (AbstractInsnNode i : body.instructions) {
      if (i.getOpcode() == Opcodes.CHECKCAST) {
        assertThat(((TypeInsnNode) i).desc)
            .as("no cast to a fused box class left")
            .isNotIn(
                "java/lang/Integer", "java/lang/Long", "java/lang/Double", "java/lang/Boolean");
      }
    }
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void unboxingFailures_areThrownAtTheAwait_insideItsTryRange(boolean s) throws Throwable {
    Class<?> c = Samples.load("Unboxing");
    assertThat(Samples.run(c, "failures", Samples.log(), s))
        .isEqualTo("NPE:await(...) gave null where the code unboxes it to int CCE");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void slotsOfOneOrSeveralTypes_computeWhatPlainJavaComputes(boolean s) throws Throwable {
    Class<?> c = Samples.load("Unboxing");
    for (int n : new int[] {-3, 0, 1, 2, 8, 13}) {
      Object plain = Samples.invoke(c, "slotTypesPlain", n);
      assertThat(Samples.run(c, "slotTypes", Samples.log(), s, n))
          .as("n=" + n + " suspending=" + s)
          .isEqualTo(plain);
    }
  }

  @Test
  void onlyTheSlotOfOneType_isZeroedAtTheTop() {
    // before the label is read: the frame taken into its local, then the zeroed slots. In
    // slotTypes, k (an int only, lacked by the four awaits before its loop) is zeroed; w's slot,
    // a float right before the fall-through's merge, is not
    List<Integer> zeroed = new ArrayList<>();
    for (AbstractInsnNode i = body("slotTypes").instructions.getFirst();
        !(i instanceof FieldInsnNode && ((FieldInsnNode) i).name.equals("label"));
        i = i.getNext()) {
      if (i.getOpcode() == Opcodes.ISTORE || i.getOpcode() == Opcodes.FSTORE) {
        assertThat(i.getPrevious().getOpcode()).isIn(Opcodes.ICONST_0, Opcodes.FCONST_0);
        zeroed.add(((VarInsnNode) i).var);
      }
    }
    assertThat(zeroed).hasSize(1);
  }

  private static MethodNode body(String name) {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("Unboxing"));
    return cn.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.equals(ClassShapeTest.BODY_DESC))
        .findFirst()
        .orElseThrow();
  }

  private static int calls(MethodNode m, String name) {
    int n = 0;
    for (AbstractInsnNode i : m.instructions) {
      if (i instanceof MethodInsnNode
          && ((MethodInsnNode) i).owner.equals("dev/coroutine/AsyncFrame")
          && ((MethodInsnNode) i).name.equals(name)) {
        n++;
      }
    }
    return n;
  }
}
