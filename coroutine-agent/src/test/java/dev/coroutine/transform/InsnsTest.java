package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Label;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * {@link Insns#endsFlow}, the one rule {@link MonitorDepth} (successors) and {@link
 * InputMethodCheck} (where a frame is due) share, checked against ASM's own {@link Analyzer}: an
 * instruction ends the flow exactly when the analyzer finds no edge from it to the next one.
 */
class InsnsTest {

  @Test
  void endsFlow_agreesWithAsmsAnalyzer_onJavacAndJdkClasses() throws Exception {
    int checked = 0;
    for (String c :
        List.of(
            "dev/coroutine/transform/MonitorDepth",
            "dev/coroutine/transform/InputMethodCheck",
            "dev/coroutine/transform/ClassFileLayout",
            "java/util/HashMap",
            "java/util/concurrent/ConcurrentHashMap",
            "java/lang/Character")) {
      ClassNode cn = read(c);
      for (MethodNode m : cn.methods) {
        checked += checkAgainstAnalyzer(cn.name, m);
      }
    }
    assertThat(checked).isGreaterThan(10_000); // the corpus has every kind of flow end
  }

  @Test
  void endsFlow_agreesWithAsmsAnalyzer_onSubroutines() throws Exception {
    // pre-Java-6 finally: jsr to a subroutine that returns with ret
    MethodNode m = new MethodNode(Opcodes.ACC_STATIC, "f", "(I)I", null, null);
    Label sub = new Label();
    Label other = new Label();
    m.visitCode();
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitJumpInsn(Opcodes.IFEQ, other);
    m.visitJumpInsn(Opcodes.JSR, sub);
    m.visitInsn(Opcodes.ICONST_1);
    m.visitInsn(Opcodes.IRETURN);
    m.visitLabel(other);
    m.visitJumpInsn(Opcodes.JSR, sub);
    m.visitInsn(Opcodes.ICONST_2);
    m.visitInsn(Opcodes.IRETURN);
    m.visitLabel(sub);
    m.visitVarInsn(Opcodes.ASTORE, 1);
    m.visitIincInsn(0, 1);
    m.visitVarInsn(Opcodes.RET, 1);
    m.visitMaxs(1, 2);
    m.visitEnd();

    assertThat(checkAgainstAnalyzer("Old", m)).isEqualTo(11);
    assertThat(Insns.endsFlow(Opcodes.JSR)).isTrue();
    assertThat(Insns.endsFlow(Opcodes.RET)).isTrue();
  }

  /** Asserts the rule at each reachable instruction of {@code m}; returns how many it checked. */
  private static int checkAgainstAnalyzer(String owner, MethodNode m) throws AnalyzerException {
    if (m.instructions.size() == 0) {
      return 0;
    }
    int n = m.instructions.size();
    boolean[] fallsThrough = new boolean[n];
    Analyzer<BasicValue> a =
        new Analyzer<>(new BasicInterpreter()) {
          @Override
          protected void newControlFlowEdge(int insn, int successor) {
            if (successor == insn + 1) {
              fallsThrough[insn] = true;
            }
          }
        };
    a.analyze(owner, m);
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (int i = 0; i < n; i++) {
      AbstractInsnNode insn = m.instructions.get(i);
      if (a.getFrames()[i] == null || insn.getOpcode() < 0 || jumpsTo(m, insn, i + 1)) {
        continue; // unreachable, not an instruction, or its edge to i + 1 is a jump
      }
      checked++;
      if (fallsThrough[i] == Insns.endsFlow(insn.getOpcode())) {
        wrong.add(owner + "." + m.name + m.desc + " #" + i + " opcode " + insn.getOpcode());
      }
    }
    assertThat(wrong).isEmpty();
    return checked;
  }

  private static boolean jumpsTo(MethodNode m, AbstractInsnNode insn, int index) {
    for (LabelNode l : Insns.jumpTargets(insn)) {
      if (m.instructions.indexOf(l) == index) {
        return true;
      }
    }
    return false;
  }

  private static ClassNode read(String name) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(name + ".class")) {
      assertThat(in).as(name).isNotNull();
      ClassNode cn = new ClassNode();
      new ClassReader(in.readAllBytes()).accept(cn, 0);
      return cn;
    }
  }
}
