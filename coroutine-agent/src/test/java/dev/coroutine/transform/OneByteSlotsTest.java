package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.LocalVariableNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The body keeps its frame in slot 0 for its whole run (a debugger's drop frame calls it again with
 * what that slot holds), the user's local from there in the slot the frame was built in (all of
 * them one slot up when a {@code long} or {@code double} starts at 0), and the most-used locals in
 * slots 1-3 when that is smaller (a byte less per access): two slots renamed, never a slot a {@code
 * long} or {@code double} uses. Each shape runs suspending at every await, rewritten from every
 * compiler's class file (checked by CheckClassAdapter), against the same code as plain Java.
 */
class OneByteSlotsTest {
  static final String SOURCE =
      "package fs;\n"
          + "import static dev.coroutine.Coroutines.*;\n"
          + "import dev.coroutine.*;\n"
          + "public class Slots {\n"
          + "  int base = 3;\n"
          // a long in slots 0-1 and a double in 3-4: all move up one, the frame in slot 0
          + "  @Async public static Coroutine<Long> wideParams(long a, int b, double c) {\n"
          + "    long t = a;\n"
          + "    for (int i = 0; i < b; i++) {\n"
          + "      await(sleep(0));\n"
          + "      t += i + (long) c;\n"
          + "      b--; b++;\n"
          + "    }\n"
          + "    await(sleep(0));\n"
          + "    return done(t + b);\n"
          + "  }\n"
          + "  public static long wideParamsPlain(long a, int b, double c) {\n"
          + "    long t = a;\n"
          + "    for (int i = 0; i < b; i++) { t += i + (long) c; b--; b++; }\n"
          + "    return t + b;\n"
          + "  }\n"
          // n in slot 0, an int incremented (iinc) across awaits: it moves, iinc and all
          + "  @Async public static Coroutine<Integer> counter(int n) {\n"
          + "    int a = 1, b = 2, sum = 0;\n"
          + "    while (n > 0) {\n"
          + "      sum += a + b + a + b + a + b + await(Coroutines.<Integer>done(a + b + a + b));\n"
          + "      await(sleep(0));\n"
          + "      n--;\n"
          + "    }\n"
          + "    return done(sum + a + b + a + b + a + b);\n"
          + "  }\n"
          + "  public static int counterPlain(int n) {\n"
          + "    int a = 1, b = 2, sum = 0;\n"
          + "    while (n > 0) { sum += a + b + a + b + a + b + a + b + a + b; n--; }\n"
          + "    return sum + a + b + a + b + a + b;\n"
          + "  }\n"
          // this in slot 0, read far more often than the other locals: in a one-byte slot still
          + "  @Async public Coroutine<Integer> thisHeavy(int k) {\n"
          + "    int r = base + base + base + base + base + base + base + base + base + base;\n"
          + "    r += base + base + base + base + base + base + base + base + base + base;\n"
          + "    await(sleep(0));\n"
          + "    r += base + base + base + base + base + base + base + base + base + base;\n"
          + "    r += base + base + base + base + base + base + base + base + base + base;\n"
          + "    int q = r + 1, w = q + 1;\n"
          + "    await(sleep(0));\n"
          + "    return done(r + k + q + w);\n"
          + "  }\n"
          + "  public int thisHeavyPlain(int k) { return base * 40 * 3 + k + 3; }\n"
          // overloads: the second body takes a supertype of AsyncFrame and casts it
          + "  @Async public static Coroutine<String> over(String s) {\n"
          + "    String a = s;\n"
          + "    await(sleep(0));\n"
          + "    String b = a + \"!\";\n"
          + "    await(sleep(0));\n"
          + "    return done(b + s);\n"
          + "  }\n"
          + "  @Async public static Coroutine<String> over(String s, int times) {\n"
          + "    String a = s;\n"
          + "    for (int i = 0; i < times; i++) { await(sleep(0)); a = a + i; }\n"
          + "    await(sleep(0));\n"
          + "    return done(a + s);\n"
          + "  }\n"
          + lotsOfLocals()
          + "}\n";

  /**
   * A method with 300 locals: the frame is built in a slot past 255 (every access {@code wide}),
   * then trades places with the local in slot 0.
   */
  private static String lotsOfLocals() {
    StringBuilder s =
        new StringBuilder("  @Async public static Coroutine<Integer> many(int x) {\n");
    StringBuilder plain = new StringBuilder("  public static int manyPlain(int x) {\n");
    for (int i = 0; i < 300; i++) {
      s.append("    int v").append(i).append(" = x + ").append(i).append(";\n");
      plain.append("    int v").append(i).append(" = x + ").append(i).append(";\n");
    }
    s.append("    await(sleep(0));\n    x++;\n    await(sleep(0));\n    return done(x");
    plain.append("    x++;\n    return x");
    for (int i = 0; i < 300; i += 7) {
      s.append(" + v").append(i);
      plain.append(" + v").append(i);
    }
    s.append(");\n  }\n");
    plain.append(";\n  }\n");
    return s.append(plain).toString();
  }

  static List<InMemoryCompiler> compilers() {
    return InMemoryCompiler.all();
  }

  private static final Map<String, Map<String, byte[]>> COMPILED = new ConcurrentHashMap<>();

  private static Map<String, byte[]> compiled(InMemoryCompiler compiler) {
    return COMPILED.computeIfAbsent(
        compiler.name(), n -> compiler.compile(Map.of("fs.Slots", SOURCE)));
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void everyShape_runsAsPlainJava_suspendingAtEachAwait(InMemoryCompiler compiler)
      throws Exception {
    MapClassLoader loader = new MapClassLoader(compiled(compiler));
    Class<?> c = loader.loadClass("fs.Slots");
    Object self = c.getConstructor().newInstance();
    assertSame(
        c, null, "wideParams", new Class<?>[] {long.class, int.class, double.class}, 5L, 4, 2.5);
    assertSame(c, null, "counter", new Class<?>[] {int.class}, 6);
    assertSame(c, self, "thisHeavy", new Class<?>[] {int.class}, 7);
    assertSame(c, null, "many", new Class<?>[] {int.class}, 11);
    assertThat(Coroutines.run((Coroutine<?>) c.getMethod("over", String.class).invoke(null, "a")))
        .isEqualTo("a!a");
    assertThat(
            Coroutines.run(
                (Coroutine<?>) c.getMethod("over", String.class, int.class).invoke(null, "b", 3)))
        .isEqualTo("b012b");
    assertThat(loader.diagnostics).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("compilers")
  void theFrame_staysInSlot0_theUsersLocalsMoveUp_theHotOnesIntoSlots1to3(InMemoryCompiler compiler)
      throws Exception {
    ClassNode rewritten =
        Samples.node(
            new CoroutineTransformer(ClassFileLocator.of(getClass().getClassLoader()))
                .transform(compiled(compiler).get("fs.Slots"))
                .bytes());
    for (MethodNode body : bodies(rewritten)) {
      assertThat(frameSlot(body)).as(body.name + body.desc).isZero();
      // nothing else is ever stored in slot 0: a debugger's drop frame calls the body again with
      // what slot 0 holds (an overload's body stores its parameter there again, cast)
      for (AbstractInsnNode i : body.instructions) {
        if (i instanceof VarInsnNode && ((VarInsnNode) i).var == 0 && isStore(i.getOpcode())) {
          assertThat(i.getOpcode()).as(body.name + body.desc).isEqualTo(Opcodes.ASTORE);
          assertThat(i.getPrevious().getOpcode()).isEqualTo(Opcodes.CHECKCAST);
          assertThat(i.getPrevious().getPrevious().getOpcode()).isEqualTo(Opcodes.ALOAD);
        }
        assertThat(i instanceof IincInsnNode && ((IincInsnNode) i).var == 0).isFalse();
      }
    }
    MethodNode thisHeavy = body(rewritten, "thisHeavy");
    boolean named = false;
    for (LocalVariableNode v : thisHeavy.localVariables) {
      assertThat(v.name).as("the static body has no local named this").isNotEqualTo("this");
      if (v.name.equals("$this")) { // a debugger shows it, as it shows no "this" in static code
        assertThat(v.index).as("$this, read most, in a one-byte slot").isBetween(1, 3);
        named = true;
      }
      if (v.name.equals("$frame")) {
        assertThat(v.index).isZero();
      }
    }
    assertThat(named).isTrue();
    MethodNode stub = stub(rewritten, "thisHeavy");
    assertThat(stub.localVariables)
        .extracting(v -> v.name)
        .contains("this")
        .doesNotContain("$frame");
    // wideParams' long a (slots 0-1 in the compiler's method) moved up, iinc of b and all
    MethodNode wide = body(rewritten, "wideParams");
    Map<String, Integer> slots = new java.util.HashMap<>();
    for (LocalVariableNode v : wide.localVariables) {
      slots.put(v.name, v.index);
    }
    assertThat(slots.get("a")).isEqualTo(1);
    assertThat(slots.get("$frame")).isZero();
    boolean incremented = false;
    for (AbstractInsnNode i : wide.instructions) {
      incremented |= i instanceof IincInsnNode && ((IincInsnNode) i).var == slots.get("b");
    }
    assertThat(incremented).as("b-- as an iinc of b's new slot").isTrue();
    // counter's n (slot 0 in the compiler's method, the least used) went where the frame was built
    MethodNode counter = body(rewritten, "counter");
    int moved = -1;
    for (LocalVariableNode v : counter.localVariables) {
      if (v.name.equals("n")) {
        moved = v.index;
      }
    }
    assertThat(moved).isGreaterThan(3);
    boolean decremented = false;
    for (AbstractInsnNode i : counter.instructions) {
      decremented |= i instanceof IincInsnNode && ((IincInsnNode) i).var == moved;
    }
    assertThat(decremented).as("n-- as an iinc of n's new slot").isTrue();
  }

  private static boolean isStore(int opcode) {
    return opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE;
  }

  private static List<MethodNode> bodies(ClassNode cn) {
    List<MethodNode> bodies =
        cn.methods.stream()
            .filter(
                m -> (m.access & Opcodes.ACC_STATIC) != 0 && m.desc.startsWith("(Ldev/coroutine/"))
            .filter(m -> Type.getArgumentTypes(m.desc).length == 1)
            .toList();
    assertThat(bodies)
        .extracting(m -> m.name)
        .contains("wideParams", "counter", "thisHeavy", "many");
    assertThat(bodies).filteredOn(m -> m.name.equals("over")).hasSize(2);
    return bodies;
  }

  private static void assertSame(
      Class<?> c, Object self, String name, Class<?>[] types, Object... args) throws Exception {
    Method async = c.getMethod(name, types);
    Method plain = c.getMethod(name + "Plain", types);
    Object expected = plain.invoke(self, args);
    Object got = Coroutines.run((Coroutine<?>) async.invoke(self, args));
    assertThat(((Number) got).longValue()).as(name).isEqualTo(((Number) expected).longValue());
  }

  /** The slot the body reads the frame's label from. */
  private static int frameSlot(MethodNode body) {
    for (AbstractInsnNode i : body.instructions) {
      if (i instanceof FieldInsnNode
          && ((FieldInsnNode) i).name.equals(Protocol.LABEL)
          && i.getOpcode() == Opcodes.GETFIELD) {
        return ((VarInsnNode) i.getPrevious()).var;
      }
    }
    throw new AssertionError("no label read in " + body.name);
  }

  private static MethodNode stub(ClassNode cn, String name) {
    return cn.methods.stream()
        .filter(m -> m.name.equals(name) && !m.desc.startsWith("(Ldev/coroutine/AsyncFrame;)"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stub " + name));
  }

  private static MethodNode body(ClassNode cn, String name) {
    return cn.methods.stream()
        .filter(m -> m.name.equals(name) && m.desc.startsWith("(Ldev/coroutine/AsyncFrame;)"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no body " + name));
  }
}
