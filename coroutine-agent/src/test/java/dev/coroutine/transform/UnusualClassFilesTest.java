package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutines;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.Attribute;
import org.objectweb.asm.ByteVector;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Class files that compilers do not usually produce but the JVM loads, and damaged ones it does
 * not: the rewrite keeps what it does not touch byte for byte, refuses what it cannot keep, and
 * never turns a class the JVM rejects into one it loads.
 */
class UnusualClassFilesTest {

  /** An attribute of a type the JVM (and ASM) do not know, written inside a Code attribute. */
  private static final class InCode extends Attribute {
    InCode(String type) {
      super(type);
    }

    @Override
    public boolean isCodeAttribute() {
      return true;
    }

    @Override
    protected ByteVector write(
        ClassWriter writer, byte[] code, int len, int maxStack, int maxLocals) {
      return new ByteVector().putInt(0x01020304);
    }
  }

  /**
   * {@code gen.Attrs}: {@code @Async static Coroutine<Integer> twice(int)} (awaits, returns 2x) and
   * {@code static int plain()}, with unknown attributes named {@code Code} and {@code gen.Custom}
   * inside the Code attribute of {@code plain} or, with {@code onAsync}, of {@code twice}.
   */
  private static byte[] withUnknownCodeAttributes(boolean onAsync) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(
        Opcodes.V17,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "gen/Attrs",
        null,
        "java/lang/Object",
        null);
    cw.visitSource("Attrs.java", null);
    MethodVisitor plain =
        cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "plain", "()I", null, null);
    plain.visitCode();
    plain.visitIntInsn(Opcodes.BIPUSH, 42);
    plain.visitInsn(Opcodes.IRETURN);
    if (!onAsync) {
      plain.visitAttribute(new InCode("Code"));
      plain.visitAttribute(new InCode("gen.Custom"));
    }
    plain.visitMaxs(0, 0);
    plain.visitEnd();

    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "twice",
            "(I)Ldev/coroutine/Coroutine;",
            null,
            null);
    mv.visitAnnotation("Ldev/coroutine/Async;", false).visitEnd();
    mv.visitCode();
    Label first = new Label();
    mv.visitLabel(first);
    mv.visitLineNumber(5, first);
    mv.visitInsn(Opcodes.LCONST_1);
    AsmCalls.sleep(mv);
    AsmCalls.await(mv);
    mv.visitInsn(Opcodes.POP);
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitInsn(Opcodes.ICONST_2);
    mv.visitInsn(Opcodes.IMUL);
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    AsmCalls.done(mv);
    mv.visitInsn(Opcodes.ARETURN);
    if (onAsync) {
      mv.visitAttribute(new InCode("gen.Custom"));
    }
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  @Test
  void unknownAttributesInsideAnotherMethodsCode_stayThere_andTheRewrittenClassLoadsAndRuns()
      throws Throwable {
    byte[] original = withUnknownCodeAttributes(false);
    assertThat(JvmCheck.loads(original)).as("the JVM ignores them").isNull();

    TransformResult r = Samples.TRANSFORMER.transform(original);

    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.changed()).isTrue();
    assertThat(JvmCheck.loads(r.bytes())).isNull();
    MethodNode before = method(original, "plain", ClassReader.SKIP_CODE);
    MethodNode after = method(r.bytes(), "plain", ClassReader.SKIP_CODE);
    assertThat(before.attrs).as("nothing at method level before").isNull();
    assertThat(after.attrs).as("nor after: still inside Code").isNull();
    assertThat(codeBytes(r.bytes(), "plain")).isEqualTo(codeBytes(original, "plain"));
    Class<?> c = JvmCheck.define(r.bytes());
    Method twice = c.getMethod("twice", int.class);
    assertThat(Coroutines.run((dev.coroutine.Coroutine<?>) twice.invoke(null, 21))).isEqualTo(42);
  }

  @Test
  void unknownAttributesInsideACoroutinesCode_refuseTheClass_namingThem() {
    byte[] original = withUnknownCodeAttributes(true);
    assertThat(JvmCheck.loads(original)).isNull();

    TransformResult r = Samples.TRANSFORMER.transform(original);

    assertThat(r.changed()).isFalse();
    assertThat(r.diagnostics()).hasSize(1);
    Diagnostic d = r.diagnostics().get(0);
    assertThat(d.methodName()).isEqualTo("twice");
    assertThat(d.message()).contains("gen.Custom").contains("Code attribute");
    assertThat(d.format()).startsWith("Attrs.java:5: ");
  }

  @Test
  void methodsTheRewriteDoesNotTouch_areCopiedByteForByte() {
    byte[] original = TransformingClassLoader.read(TransformingClassLoader.SAMPLES + "Methods");
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.changed()).isTrue();
    ClassNode before = new ClassNode();
    new ClassReader(original).accept(before, ClassReader.SKIP_CODE);
    int compared = 0;
    for (MethodNode m : before.methods) {
      if (!CoroutineMethods.isAnnotatedAsync(m) && !m.name.startsWith("lambda$")) {
        assertThat(codeBytes(r.bytes(), m.name + m.desc))
            .as(m.name)
            .isEqualTo(codeBytes(original, m.name + m.desc));
        compared++;
      }
    }
    assertThat(compared).isPositive();
  }

  @Test
  void bytesAfterTheEndOfTheClass_areMalformed_notDropped() {
    byte[] original = withUnknownCodeAttributes(false);
    byte[] trailing = Arrays.copyOf(original, original.length + 3);
    assertThat(JvmCheck.loads(trailing)).contains("Extra bytes");

    assertThatThrownBy(() -> Samples.TRANSFORMER.transform(trailing))
        .isInstanceOf(MalformedClassFileException.class)
        .hasMessage("3 bytes after the end of the class file");
  }

  @Test
  void classTruncatedAtAConstantPoolEntryBoundary_isMalformed_andThePreFilterDoesNotThrow() {
    byte[] original = withUnknownCodeAttributes(false);
    int cut = 10;
    for (int i = 0; i < 9; i++) {
      cut += ConstantPoolScan.entrySize(original, cut);
    }
    byte[] truncated = Arrays.copyOf(original, cut); // ends right after entry 9

    assertThat(CoroutineTransformer.mightNeedTransform(truncated)).isTrue();
    assertThatThrownBy(() -> Samples.TRANSFORMER.transform(truncated))
        .isInstanceOf(MalformedClassFileException.class)
        .hasMessageStartingWith("truncated constant pool (entry 10 of ");
  }

  /**
   * The raw method_info bytes (its Code attribute included) of method {@code nameOrKey} (a name, or
   * name and descriptor), read by walking the class file.
   */
  static byte[] codeBytes(byte[] b, String nameOrKey) {
    ClassReader r = new ClassReader(b);
    char[] buf = new char[r.getMaxStringLength()];
    int p = r.header + 6;
    p += 2 + 2 * r.readUnsignedShort(p); // interfaces
    for (int kind = 0; kind < 2; kind++) {
      int count = r.readUnsignedShort(p);
      p += 2;
      for (int i = 0; i < count; i++) {
        int start = p;
        String n = r.readUTF8(p + 2, buf);
        String d = r.readUTF8(p + 4, buf);
        int attributes = r.readUnsignedShort(p + 6);
        p += 8;
        for (int a = 0; a < attributes; a++) {
          p += 6 + r.readInt(p + 2);
        }
        if (kind == 1 && (n.equals(nameOrKey) || (n + d).equals(nameOrKey))) {
          return Arrays.copyOfRange(b, start, p);
        }
      }
    }
    throw new AssertionError("no method " + nameOrKey);
  }

  /**
   * {@code gen.Six}, a Java 6 class file (version 50) without stack map frames, as compilers of
   * that time wrote them: {@code @Async static Coroutine<Integer> pick(int x)} awaits, then returns
   * 1 if {@code x == 0}, else 2 (a branch target with no frame, which the JVM accepts there).
   */
  private static byte[] java6WithoutFrames() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS); // no frames
    cw.visit(
        Opcodes.V1_6,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER,
        "gen/Six",
        null,
        "java/lang/Object",
        null);
    MethodVisitor mv =
        cw.visitMethod(
            Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC,
            "pick",
            "(I)Ldev/coroutine/Coroutine;",
            null,
            null);
    mv.visitAnnotation("Ldev/coroutine/Async;", false).visitEnd();
    mv.visitCode();
    mv.visitInsn(Opcodes.LCONST_1);
    AsmCalls.sleep(mv);
    AsmCalls.await(mv);
    mv.visitInsn(Opcodes.POP);
    Label other = new Label();
    mv.visitVarInsn(Opcodes.ILOAD, 0);
    mv.visitJumpInsn(Opcodes.IFNE, other);
    mv.visitInsn(Opcodes.ICONST_1);
    Label done = new Label();
    mv.visitJumpInsn(Opcodes.GOTO, done);
    mv.visitLabel(other);
    mv.visitInsn(Opcodes.ICONST_2);
    mv.visitLabel(done);
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC, "java/lang/Integer", "valueOf", "(I)Ljava/lang/Integer;", false);
    AsmCalls.done(mv);
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  @Test
  void java6ClassWithoutFrames_whichTheJvmLoads_isRefusedForItsVersion_notAsMalformed() {
    byte[] original = java6WithoutFrames();
    assertThat(JvmCheck.loads(original)).as("HotSpot verifies version 50 by inference").isNull();

    // it was refused as malformed, "no stack map frame ... (the JVM's verifier rejects the
    // class)", which the JVM does not: the frame check starts at version 51
    TransformResult r = Samples.TRANSFORMER.transform(original);

    assertThat(r.changed()).isFalse();
    assertThat(r.diagnostics())
        .singleElement()
        .asString()
        .contains("gen/Six.class: class file version 50 is older than Java 8")
        .contains("gen.Six.pick");
  }

  private static MethodNode method(byte[] classFile, String name, int flags) {
    ClassNode cn = new ClassNode();
    new ClassReader(classFile).accept(cn, flags);
    return cn.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
  }
}
