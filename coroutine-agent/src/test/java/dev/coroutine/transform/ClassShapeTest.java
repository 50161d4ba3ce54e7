package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Async;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** What the rewritten class looks like from outside: stubs keep their contract, bodies hide. */
class ClassShapeTest {
  static final String BODY_DESC = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ControlFlow",
        "Exceptions",
        "Expressions",
        "Values",
        "Methods",
        "Lambdas",
        "AsyncInterface"
      })
  void rewrittenClass_noAwaitCallIsLeft_andBodiesArePrivateStatic_syntheticOnlyForLambdas(
      String sample) {
    ClassNode original =
        Samples.node(TransformingClassLoader.read(TransformingClassLoader.SAMPLES + sample));
    ClassNode rewritten = Samples.node(Samples.rewrittenBytes(sample));
    Map<String, MethodNode> before = new HashMap<>();
    for (MethodNode m : original.methods) {
      before.put(m.name + m.desc, m);
    }
    List<String> bodies = new ArrayList<>();
    for (MethodNode m : rewritten.methods) {
      for (AbstractInsnNode i = m.instructions.getFirst(); i != null; i = i.getNext()) {
        if (i instanceof MethodInsnNode) {
          MethodInsnNode call = (MethodInsnNode) i;
          assertThat(call.owner + "." + call.name)
              .as("call left in " + m.name + m.desc)
              .isNotEqualTo("dev/coroutine/Coroutines.await");
        }
      }
      MethodNode old = before.get(m.name + m.desc);
      if (old == null) {
        // a body takes the frame (overloads: a supertype of it, so they keep the user's name)
        assertThat(m.desc)
            .as("new method " + m.name)
            .isIn(
                BODY_DESC,
                "(Ldev/coroutine/Coroutine;)Ljava/lang/Object;",
                "(Ldev/coroutine/Awaitable;)Ljava/lang/Object;",
                "(Ljava/lang/Object;)Ljava/lang/Object;");
        int required = Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC;
        assertThat(m.access & required).as("access of " + m.name).isEqualTo(required);
        // synthetic exactly when the user's method is (javac lambdas): JaCoCo drops other
        // synthetic methods from coverage and debuggers skip them when stepping
        boolean fromLambda = m.name.startsWith("lambda$");
        assertThat((m.access & Opcodes.ACC_SYNTHETIC) != 0)
            .as("synthetic flag of body " + m.name)
            .isEqualTo(fromLambda);
        bodies.add(m.name);
      } else {
        assertThat(m.access).as("access of " + m.name + m.desc).isEqualTo(old.access);
        assertThat(m.signature).as("signature of " + m.name).isEqualTo(old.signature);
        assertThat(m.exceptions).as("throws of " + m.name).isEqualTo(old.exceptions);
        assertThat(descs(m.visibleAnnotations))
            .as("annotations of " + m.name)
            .isEqualTo(descs(old.visibleAnnotations));
      }
    }
    assertThat(bodies).isNotEmpty();
    assertThat(rewritten.fields.size()).as("no fields added").isEqualTo(original.fields.size());
  }

  static List<String> descs(List<AnnotationNode> list) {
    List<String> out = new ArrayList<>();
    if (list != null) {
      list.forEach(a -> out.add(a.desc));
    }
    return out;
  }

  @Test
  void rewrittenMethod_reflectionStillSeesAsyncGenericsAndThrows() throws Exception {
    Class<?> methods = Samples.load("Methods");
    Method max = Samples.find(methods, "max");
    assertThat(max.isAnnotationPresent(Async.class)).isTrue();
    assertThat(max.getGenericReturnType().getTypeName()).isEqualTo("dev.coroutine.Coroutine<T>");
    assertThat(max.getTypeParameters()).hasSize(1);
    Class<?> exceptions = Samples.load("Exceptions");
    assertThat(Samples.find(exceptions, "failing").getExceptionTypes())
        .containsExactly(IOException.class);
  }
}
