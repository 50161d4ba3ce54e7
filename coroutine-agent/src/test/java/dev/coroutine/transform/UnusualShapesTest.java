package dev.coroutine.transform;

import static dev.coroutine.transform.Samples.expect;
import static dev.coroutine.transform.Samples.log;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Bytecode shapes javac never emits but other compilers and tools do, built with ASM: an object
 * under construction kept in a local or duplicated more than once while an await suspends.
 */
class UnusualShapesTest {
  static final String SB = "java/lang/StringBuilder";

  /** One static @Async method {@code shape(List, boolean)} with the given body, in a new class. */
  static Class<?> build(String className, Consumer<MethodVisitor> body) throws Exception {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        className,
        null,
        "java/lang/Object",
        null);
    cw.visitSource(className.substring(className.lastIndexOf('/') + 1) + ".java", null);
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "shape",
            "(Ljava/util/List;Z)Ldev/coroutine/Coroutine;",
            null,
            null);
    mv.visitAnnotation("Ldev/coroutine/Async;", true).visitEnd();
    mv.visitCode();
    body.accept(mv);
    AsmCalls.done(mv);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    byte[] original = cw.toByteArray();
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.diagnostics()).as("diagnostics").isEmpty();
    assertThat(r.changed()).isTrue();
    ClassVersionsTest.BytesLoader loader =
        new ClassVersionsTest.BytesLoader(Map.of(className, r.bytes()));
    ClassVersionsTest.verifyInProcess(Map.of(className, r.bytes()), loader);
    return loader.loadClass(className.replace('/', '.'));
  }

  /** Pushes {@code await(Later.v(log, suspend, "value"))} as a String. */
  static void awaitValue(MethodVisitor mv) {
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitLdcInsn("value");
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        "dev/coroutine/transform/samples/Later",
        "v",
        "(Ljava/util/List;ZLjava/lang/Object;)Ldev/coroutine/Future;",
        false);
    AsmCalls.await(mv);
    mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
  }

  static void appendBangToString(MethodVisitor mv) {
    mv.visitLdcInsn("!");
    mv.visitMethodInsn(
        Opcodes.INVOKEVIRTUAL, SB, "append", "(Ljava/lang/String;)L" + SB + ";", false);
    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SB, "toString", "()Ljava/lang/String;", false);
  }

  static Object run(Class<?> c, List<String> log, boolean s) throws Throwable {
    return Coroutines.run(
        (Coroutine<?>) c.getMethod("shape", List.class, boolean.class).invoke(null, log, s));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void newDupAwaitInit_builtWithAsm_runs(boolean s) throws Throwable {
    // the javac shape, as a baseline for the two below: NEW, DUP, await, <init>
    Class<?> c =
        build(
            "gen/NewDup" + s,
            mv -> {
              mv.visitTypeInsn(Opcodes.NEW, SB);
              mv.visitInsn(Opcodes.DUP);
              awaitValue(mv);
              mv.visitMethodInsn(
                  Opcodes.INVOKESPECIAL, SB, "<init>", "(Ljava/lang/String;)V", false);
              appendBangToString(mv);
            });
    List<String> log = log();
    assertThat(run(c, log, s)).isEqualTo("value!");
    assertThat(log).isEqualTo(expect(s, "~value"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void uninitializedObjectKeptInALocal_acrossAnAwait_runs(boolean s) throws Throwable {
    Class<?> c =
        build(
            "gen/UninitInLocal" + s,
            mv -> {
              mv.visitTypeInsn(Opcodes.NEW, SB);
              mv.visitInsn(Opcodes.DUP);
              mv.visitVarInsn(Opcodes.ASTORE, 2);
              awaitValue(mv);
              mv.visitMethodInsn(
                  Opcodes.INVOKESPECIAL, SB, "<init>", "(Ljava/lang/String;)V", false);
              mv.visitVarInsn(Opcodes.ALOAD, 2);
              appendBangToString(mv);
            });
    List<String> log = log();
    assertThat(run(c, log, s)).isEqualTo("value!");
    assertThat(log).isEqualTo(expect(s, "~value"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void uninitializedObjectDuplicatedTwice_acrossAnAwait_runs(boolean s) throws Throwable {
    Class<?> c =
        build(
            "gen/UninitDupTwice" + s,
            mv -> {
              mv.visitTypeInsn(Opcodes.NEW, SB);
              mv.visitInsn(Opcodes.DUP);
              mv.visitInsn(Opcodes.DUP);
              awaitValue(mv);
              mv.visitMethodInsn(
                  Opcodes.INVOKESPECIAL, SB, "<init>", "(Ljava/lang/String;)V", false);
              mv.visitLdcInsn("?");
              mv.visitMethodInsn(
                  Opcodes.INVOKEVIRTUAL, SB, "append", "(Ljava/lang/String;)L" + SB + ";", false);
              mv.visitInsn(Opcodes.POP);
              appendBangToString(mv);
            });
    List<String> log = log();
    assertThat(run(c, log, s)).isEqualTo("value?!");
    assertThat(log).isEqualTo(expect(s, "~value"));
  }

  /**
   * Stores {@code Later.later(log, "value")} (or {@code Later.now("value")}) in local 3, in at most
   * two words of stack, so that the method's max_stack stays 2.
   */
  static void futureInLocal3(MethodVisitor mv, boolean suspend) {
    String later = "dev/coroutine/transform/samples/Later";
    if (suspend) {
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitLdcInsn("value");
      mv.visitMethodInsn(
          Opcodes.INVOKESTATIC,
          later,
          "later",
          "(Ljava/util/List;Ljava/lang/Object;)Ldev/coroutine/Future;",
          false);
    } else {
      mv.visitLdcInsn("value");
      mv.visitMethodInsn(
          Opcodes.INVOKESTATIC, later, "now", "(Ljava/lang/Object;)Ldev/coroutine/Future;", false);
    }
    mv.visitVarInsn(Opcodes.ASTORE, 3);
  }

  /** {@code await(local 3)} as a String. */
  static void awaitLocal3(MethodVisitor mv) {
    mv.visitVarInsn(Opcodes.ALOAD, 3);
    AsmCalls.await(mv);
    mv.visitTypeInsn(Opcodes.CHECKCAST, "java/lang/String");
  }

  /**
   * R8's shape (found from outside): NEW, DUP, ASTORE 2, a one-word await, {@code <init>(String)},
   * then {@code finish} on local 2; max_stack 2, so building the object after the await (NEW, DUP,
   * the argument: 3 words) needs more stack than the method had, and the class was refused as
   * inconsistent.
   */
  static Class<?> uninitializedInALocalAtMaxStack(
      String name, boolean s, String type, Consumer<MethodVisitor> finish) throws Exception {
    return build(
        name,
        mv -> {
          futureInLocal3(mv, s);
          mv.visitTypeInsn(Opcodes.NEW, type);
          mv.visitInsn(Opcodes.DUP);
          mv.visitVarInsn(Opcodes.ASTORE, 2);
          awaitLocal3(mv);
          mv.visitMethodInsn(Opcodes.INVOKESPECIAL, type, "<init>", "(Ljava/lang/String;)V", false);
          mv.visitVarInsn(Opcodes.ALOAD, 2);
          finish.accept(mv);
        });
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void uninitializedObjectInALocal_atTheMethodsMaxStack_runs(boolean s) throws Throwable {
    Class<?> c =
        uninitializedInALocalAtMaxStack(
            "gen/UninitTight" + s, s, SB, UnusualShapesTest::appendBangToString);
    List<String> log = log();
    assertThat(run(c, log, s)).isEqualTo("value!");
    assertThat(log).isEqualTo(expect(s, "~value"));
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void uninitializedUserObjectInALocal_atTheMethodsMaxStack_runs(boolean s) throws Throwable {
    // a class outside java.*: its initialization is kept at the NEW as well
    String checked = "dev/coroutine/transform/samples/Later$Checked";
    Class<?> c =
        uninitializedInALocalAtMaxStack(
            "gen/UninitTightUser" + s,
            s,
            checked,
            mv ->
                mv.visitMethodInsn(
                    Opcodes.INVOKEVIRTUAL, checked, "getMessage", "()Ljava/lang/String;", false));
    List<String> log = log();
    assertThat(run(c, log, s)).isEqualTo("value");
    assertThat(log).isEqualTo(expect(s, "~value"));
  }
}
