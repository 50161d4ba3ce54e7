package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;

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
            "this:" + c.getName(),
            "names:java.util.List",
            "count:int",
            "big:long",
            "text:java.lang.String",
            "ratio:double",
            "name:java.lang.String",
            "lengths:int[]");
  }

  @Test
  void localVariableTable_ofRewrittenBody_keepsTheOriginalSlotsOfEachLocal() throws Exception {
    ClassNode original =
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + "Traces"));
    MethodNode before = null;
    for (MethodNode m : original.methods) {
      if (m.name.equals("locals")) {
        before = m;
      }
    }
    MethodNode body = bodyOf(Samples.node(Samples.rewrittenBytes("Traces")), "locals");
    List<String> expected = new ArrayList<>();
    for (LocalVariableNode v : before.localVariables) {
      expected.add(v.name + "@" + v.index + v.desc);
    }
    List<String> actual = new ArrayList<>();
    for (LocalVariableNode v : body.localVariables) {
      actual.add(v.name + "@" + v.index + v.desc);
    }
    assertThat(actual).containsAll(expected);
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
