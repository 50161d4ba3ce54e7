package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;

/** Stack traces and local-variable tables of rewritten methods show the user's source. */
class DebugInfoTest {
  static final String SOURCE = "Traces.java";
  static Class<?> c;

  @BeforeAll
  static void load() {
    c = Samples.load("Traces");
  }

  @Test
  void exceptionThrownAfterResume_topFrameNamesClassMethodAndLine() {
    Throwable t = catchThrowable(() -> run(c, "throwsAfterResume", 3));
    assertThat(t).isInstanceOf(IllegalArgumentException.class).hasMessage("after resume 6");
    StackTraceElement top = t.getStackTrace()[0];
    assertThat(top.getClassName()).isEqualTo(c.getName());
    assertThat(top.getMethodName()).isEqualTo("throwsAfterResume");
    assertThat(top.getFileName()).isEqualTo(SOURCE);
    assertThat(top.getLineNumber()).isEqualTo(Samples.line(SOURCE, "directThrow"));
  }

  @Test
  void exceptionFromACalleeAfterResume_framesNameHelperThenCoroutineLine() {
    Throwable t = catchThrowable(() -> run(c, "callsHelperAfterResume", 1));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("in helper");
    StackTraceElement[] st = t.getStackTrace();
    assertThat(st[0].getMethodName()).isEqualTo("helper");
    assertThat(st[0].getLineNumber()).isEqualTo(Samples.line(SOURCE, "helperThrow"));
    assertThat(st[1].getClassName()).isEqualTo(c.getName());
    assertThat(st[1].getMethodName()).isEqualTo("callsHelperAfterResume");
    assertThat(st[1].getFileName()).isEqualTo(SOURCE);
    assertThat(st[1].getLineNumber()).isEqualTo(Samples.line(SOURCE, "helperCall"));
  }

  @Test
  void exceptionThroughAnAwaitingCaller_traceStillStartsAtTheThrowingLine() {
    Throwable t = catchThrowable(() -> run(c, "caller", 1));
    assertThat(t).isInstanceOf(IllegalStateException.class);
    StackTraceElement[] st = t.getStackTrace();
    assertThat(st[0].getLineNumber()).isEqualTo(Samples.line(SOURCE, "helperThrow"));
    assertThat(st[1].getLineNumber()).isEqualTo(Samples.line(SOURCE, "helperCall"));
  }

  static MethodNode bodyOf(ClassNode cn, String name) {
    for (MethodNode m : cn.methods) {
      if (m.name.equals(name) && m.desc.equals("(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;")) {
        return m;
      }
    }
    throw new AssertionError("no body method " + name + " in " + cn.name);
  }

  @Test
  void localVariableTable_ofRewrittenBody_keepsTheUsersNamesAndTypes() {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("Traces"));
    MethodNode body = bodyOf(cn, "locals");
    assertThat(body.localVariables).isNotNull();
    List<String> named =
        body.localVariables.stream()
            .map(v -> v.name + ":" + Type.getType(v.desc).getClassName())
            .collect(Collectors.toList());
    assertThat(named)
        .contains(
            "$this:" + c.getName(), // the body is static: JDI shows no local named this there
            "names:java.util.List",
            "count:int",
            "big:long",
            "text:java.lang.String",
            "ratio:double",
            "name:java.lang.String",
            "lengths:int[]");
  }

  /**
   * Every local of the javac method is in the body's table under its name and type; the body may
   * keep a slot's locals in another slot (its most-used locals and the frame in slots 0-3, a byte
   * less per access), but only as a renaming: all locals of one javac slot in one body slot, no two
   * javac slots in one.
   */
  @Test
  void localVariableTable_ofRewrittenBody_keepsEachLocal_renamingSlotsOnly() throws Exception {
    ClassNode original =
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + "Traces"));
    MethodNode before = null;
    for (MethodNode m : original.methods) {
      if (m.name.equals("locals")) {
        before = m;
      }
    }
    MethodNode body = bodyOf(Samples.node(Samples.rewrittenBytes("Traces")), "locals");
    Map<Integer, Set<Integer>> renamed = new HashMap<>();
    for (LocalVariableNode v : before.localVariables) {
      Set<Integer> found = new HashSet<>();
      for (LocalVariableNode w : body.localVariables) {
        if (w.name.equals(v.name.equals("this") ? "$this" : v.name) && w.desc.equals(v.desc)) {
          found.add(w.index);
        }
      }
      assertThat(found).as(v.name + "@" + v.index + " in the body").hasSize(1);
      renamed.computeIfAbsent(v.index, k -> new HashSet<>()).addAll(found);
    }
    Set<Integer> targets = new HashSet<>();
    for (Map.Entry<Integer, Set<Integer>> e : renamed.entrySet()) {
      assertThat(e.getValue()).as("javac slot " + e.getKey() + " in one body slot").hasSize(1);
      assertThat(targets.add(e.getValue().iterator().next()))
          .as("body slot of javac slot " + e.getKey() + " taken once")
          .isTrue();
    }
  }

  /**
   * A stub (the method as declared, building the frame) keeps its parameters' entries, each in its
   * own slot, whatever the body does with its slots: a debugger stopped in it, or a tool reading
   * parameter names from the table, sees the parameters.
   */
  @ParameterizedTest
  @ValueSource(strings = {"Traces", "ControlFlow", "Values", "Methods", "SharedLayouts"})
  void localVariableTable_ofEachStub_hasItsParameters(String sample) throws Exception {
    ClassNode original =
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + sample));
    ClassNode rewritten = Samples.node(Samples.rewrittenBytes(sample));
    int stubs = 0;
    for (MethodNode m : original.methods) {
      if (m.localVariables == null || !m.desc.endsWith(")Ldev/coroutine/Coroutine;")) {
        continue;
      }
      int argSlots = (Type.getArgumentsAndReturnSizes(m.desc) >> 2) - 1;
      if ((m.access & org.objectweb.asm.Opcodes.ACC_STATIC) == 0) {
        argSlots++;
      }
      MethodNode stub =
          rewritten.methods.stream()
              .filter(r -> r.name.equals(m.name) && r.desc.equals(m.desc))
              .findFirst()
              .orElseThrow();
      if (stub.instructions.size() > 40) {
        continue; // not an @Async method: left as it was
      }
      stubs++;
      Set<String> expected = new HashSet<>();
      for (LocalVariableNode v : m.localVariables) {
        if (v.index < argSlots) {
          expected.add(v.name + "@" + v.index);
        }
      }
      Set<String> actual = new HashSet<>();
      for (LocalVariableNode v :
          stub.localVariables == null ? List.<LocalVariableNode>of() : stub.localVariables) {
        actual.add(v.name + "@" + v.index);
      }
      assertThat(actual).as(m.name + m.desc).isEqualTo(expected);
    }
    assertThat(stubs).isPositive();
  }

  /**
   * The property a debugger relies on: wherever the table describes a variable, its slot holds a
   * value of the variable's kind. After a resume only the live locals are restored, so an entry
   * that still covered the code after an await described a slot holding nothing (garbage in a
   * debugger). Checked over every body of the samples, and over javac's own methods as a control.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "Traces",
        "ControlFlow",
        "Exceptions",
        "Expressions",
        "Values",
        "Methods",
        "Lambdas",
        "Semantics"
      })
  void localVariableTable_describesAVariableOnlyWhereItsSlotHoldsAValueOfItsKind(String sample)
      throws Exception {
    ClassNode original =
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + sample));
    for (MethodNode m : original.methods) {
      assertThat(misdescribed(original.name, m)).as("javac's " + m.name + m.desc).isEmpty();
    }
    ClassNode rewritten = Samples.node(Samples.rewrittenBytes(sample));
    int bodies = 0;
    for (MethodNode m : rewritten.methods) {
      if (m.desc.endsWith(")Ljava/lang/Object;") && m.name.indexOf('<') < 0) {
        bodies++;
      }
      assertThat(misdescribed(rewritten.name, m)).as("rewritten " + m.name + m.desc).isEmpty();
    }
    assertThat(bodies).isPositive();
  }

  @Test
  void localVariableTable_variableDeadAcrossAnAwait_isNotDescribedAfterTheResume() {
    ClassNode cn = Samples.node(Samples.rewrittenBytes("Traces"));
    MethodNode body = bodyOf(cn, "deadAcrossAwait");
    // scratch is dead at the await: described before it, and no longer once the resume landed
    List<LocalVariableNode> scratch = new ArrayList<>();
    for (LocalVariableNode v : body.localVariables) {
      if (v.name.equals("scratch")) {
        scratch.add(v);
      }
    }
    assertThat(scratch).hasSize(1);
    // a resume lands on the frame's await call (the frame as the awaitable answers the outcome)
    int resumed = indexOfCall(body, "dev/coroutine/AsyncFrame", "await");
    assertThat(body.instructions.indexOf(scratch.get(0).end)).isLessThanOrEqualTo(resumed);
    // before is live across it: described after the resume too
    assertThat(body.localVariables)
        .anySatisfy(
            v -> {
              assertThat(v.name).isEqualTo("before");
              assertThat(body.instructions.indexOf(v.end)).isGreaterThan(resumed);
            });
  }

  private static int indexOfCall(MethodNode m, String owner, String name) {
    for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof MethodInsnNode
          && ((MethodInsnNode) i).owner.equals(owner)
          && ((MethodInsnNode) i).name.equals(name)) {
        return m.instructions.indexOf(i);
      }
    }
    throw new AssertionError("no call to " + owner + "." + name + " in " + m.name);
  }

  /** Entries of {@code m}'s table that cover an instruction where the slot holds another kind. */
  static List<String> misdescribed(String owner, MethodNode m) throws AnalyzerException {
    List<String> wrong = new ArrayList<>();
    if (m.localVariables == null || m.instructions.size() == 0) {
      return wrong;
    }
    Frame<BasicValue>[] frames = new Analyzer<>(new BasicInterpreter()).analyze(owner, m);
    for (LocalVariableNode v : m.localVariables) {
      int from = m.instructions.indexOf(v.start);
      int to = m.instructions.indexOf(v.end);
      BasicValue expected = new BasicInterpreter().newValue(Type.getType(v.desc));
      for (int i = from; i < to; i++) {
        Frame<BasicValue> f = frames[i];
        if (f == null || m.instructions.get(i).getOpcode() < 0) {
          continue;
        }
        BasicValue held = f.getLocal(v.index);
        if (!held.equals(expected)) {
          wrong.add(
              v.name
                  + " at instruction "
                  + i
                  + " (line "
                  + lineAt(m, i)
                  + "): slot "
                  + v.index
                  + " holds "
                  + held);
          break;
        }
      }
    }
    return wrong;
  }

  private static int lineAt(MethodNode m, int index) {
    for (AbstractInsnNode p = m.instructions.get(index); p != null; p = p.getPrevious()) {
      if (p instanceof LineNumberNode) {
        return ((LineNumberNode) p).line;
      }
    }
    return -1;
  }

  @Test
  void lineNumberTable_ofRewrittenBody_coversTheUsersLines() {
    MethodNode body = bodyOf(Samples.node(Samples.rewrittenBytes("Traces")), "throwsAfterResume");
    List<Integer> lines = new ArrayList<>();
    for (AbstractInsnNode i = body.instructions.getFirst(); i != null; i = i.getNext()) {
      if (i instanceof LineNumberNode) {
        lines.add(((LineNumberNode) i).line);
      }
    }
    assertThat(lines).contains(Samples.line(SOURCE, "directThrow"));
  }

  @Test
  void overloadedAsyncMethod_stackTraceNamesTheUsersMethod() {
    Throwable t = catchThrowable(() -> run(c, "callsOverloaded"));
    assertThat(t).isInstanceOf(IllegalStateException.class).hasMessage("boom");
    StackTraceElement top = t.getStackTrace()[0];
    assertThat(top.getLineNumber()).isEqualTo(Samples.line(SOURCE, "overloadThrow"));
    assertThat(top.getMethodName()).isEqualTo("overloaded");
  }
}
