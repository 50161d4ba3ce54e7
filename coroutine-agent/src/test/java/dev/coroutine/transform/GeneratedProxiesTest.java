package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Mock and proxy classes that generators make at run time copy {@code @Async} onto methods that
 * only dispatch to a handler: they are left as they are (Mockito's {@code when()} and {@code
 * verify()} need the call to reach the handler), unless they await something themselves. The class
 * files are shaped as Mockito 5's subclass mocks are: a public class implementing the mocked
 * interface and {@code MockAccess}, whose override carries the copied annotation and returns what a
 * static dispatcher returns. The full case, with Mockito and the agent, is the {@code
 * it-mockito-agent} build.
 */
class GeneratedProxiesTest {
  private static final String MOCK_ACCESS =
      "org/mockito/internal/creation/bytebuddy/access/MockAccess";

  /**
   * A class {@code name} with {@code @Async Coroutine load(int)}: it returns {@code
   * Dispatcher.intercept(this, id)} or, with {@code awaits}, awaits that first.
   */
  private static byte[] mockLike(String name, int access, String[] interfaces, boolean awaits) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, access, name, null, "java/lang/Object", interfaces);
    MethodVisitor mv =
        cw.visitMethod(Opcodes.ACC_PUBLIC, "load", "(I)Ldev/coroutine/Coroutine;", null, null);
    mv.visitAnnotation("Ldev/coroutine/Async;", true).visitEnd();
    mv.visitCode();
    mv.visitVarInsn(Opcodes.ALOAD, 0);
    mv.visitVarInsn(Opcodes.ILOAD, 1);
    mv.visitMethodInsn(
        Opcodes.INVOKESTATIC,
        "gen/Dispatcher",
        "intercept",
        "(Ljava/lang/Object;I)Ljava/lang/Object;",
        false);
    mv.visitTypeInsn(Opcodes.CHECKCAST, "dev/coroutine/Coroutine");
    if (awaits) {
      AsmCalls.await(mv);
      AsmCalls.done(mv);
    }
    mv.visitInsn(Opcodes.ARETURN);
    mv.visitMaxs(0, 0);
    mv.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static TransformResult transform(byte[] classFile) {
    return new CoroutineTransformer(
            ClassFileLocator.of(GeneratedProxiesTest.class.getClassLoader()))
        .transform(classFile);
  }

  private static final int PUBLIC = Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER;

  @Test
  void mockitoSubclassMock_thatOnlyDispatches_isLeftAsItIs() {
    byte[] mock =
        mockLike(
            "com/example/Repo$MockitoMock$tcGKFMVR", PUBLIC, new String[] {MOCK_ACCESS}, false);
    TransformResult r = transform(mock);
    assertThat(r.changed()).isFalse();
    assertThat(r.diagnostics()).isEmpty();
  }

  @Test
  void eachMark_aGeneratorsInterface_orName_isEnough() {
    assertThat(transform(mockLike("gen/A", PUBLIC, new String[] {MOCK_ACCESS}, false)).changed())
        .isFalse();
    assertThat(transform(mockLike("gen/B$$SpringCGLIB$$0", PUBLIC, null, false)).changed())
        .isFalse();
    assertThat(transform(mockLike("gen/C$ByteBuddy$x1", PUBLIC, null, false)).changed()).isFalse();
    assertThat(
            transform(
                    mockLike(
                        "gen/E",
                        PUBLIC,
                        new String[] {"org/hibernate/proxy/HibernateProxy"},
                        false))
                .changed())
        .isFalse();
  }

  @Test
  void theSameMethod_inAClassAUserWrote_isACoroutine_evenInASyntheticClass() {
    TransformResult r = transform(mockLike("com/example/RepoImpl", PUBLIC, null, false));
    assertThat(r.changed()).isTrue();
    assertThat(r.methodsRewritten()).isEqualTo(1);
    // Groovy's trait helpers are synthetic and hold the trait's own bodies
    assertThat(
            transform(
                    mockLike(
                        "com/example/Greeting$Trait$Helper",
                        PUBLIC | Opcodes.ACC_SYNTHETIC,
                        null,
                        false))
                .changed())
        .isTrue();
  }

  @Test
  void aGeneratedClassThatAwaits_isRewrittenAsAnyOther() {
    TransformResult r =
        transform(
            mockLike(
                "com/example/Repo$MockitoMock$awaits", PUBLIC, new String[] {MOCK_ACCESS}, true));
    assertThat(r.changed()).isTrue();
  }
}
