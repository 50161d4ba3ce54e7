package dev.coroutine.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a debugger's HotSwap may not change in a rewritten class: the code of its coroutine bodies
 * (the methods of descriptor {@code (AsyncFrame)Object}). A coroutine suspended at an await keeps
 * its state (which await, the values it saved) laid out for the body it ran; resumed in another
 * body it would restore the wrong values. One SHA-256 per body, of its instructions, try blocks and
 * sizes as text, with constants by value and labels by order, without debug information or frames:
 * line numbers, local-variable names, frames and the constant pool's order may change (an edit
 * above the method moves lines and constants), everything else is compared. Not the body written
 * again by ASM, as before: past 32 KB ASM failed to write some bodies (see the transformer's
 * LongJumps), and the class's redefinitions went unguarded.
 */
final class BodyFingerprints {
  private BodyFingerprints() {}

  private static final String BODY_DESC = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";

  /**
   * The fingerprint of each body of a rewritten class, by method name.
   *
   * @param classFile a class file the transformer wrote
   * @return body name to the SHA-256 of its code
   */
  static Map<String, String> of(byte[] classFile) {
    Map<String, String> out = new HashMap<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                return desc.equals(BODY_DESC) ? new CodeText(name, out) : null;
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return out;
  }

  /**
   * A method's code as text, one line per instruction; its SHA-256 goes into the map at the end.
   */
  private static final class CodeText extends MethodVisitor {
    private final String name;
    private final Map<String, String> out;
    private final StringBuilder text = new StringBuilder();
    private final Map<Label, Integer> labels = new IdentityHashMap<>();

    CodeText(String name, Map<String, String> out) {
      super(Opcodes.ASM9);
      this.name = name;
      this.out = out;
    }

    private void line(Object... parts) {
      for (Object p : parts) {
        text.append(p instanceof Label ? "L" + label((Label) p) : describe(p)).append(' ');
      }
      text.append('\n');
    }

    private int label(Label l) {
      return labels.computeIfAbsent(l, k -> labels.size());
    }

    private static String describe(Object p) {
      if (p instanceof Object[]) {
        return Arrays.deepToString((Object[]) p);
      }
      if (p instanceof int[]) {
        return Arrays.toString((int[]) p);
      }
      if (p == null) {
        return "null";
      }
      return p.getClass().getSimpleName() + ":" + p; // 1 and 1L, "1" and 1 apart
    }

    @Override
    public void visitInsn(int opcode) {
      line("insn", opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      line("int", opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
      line("var", opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      line("type", opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String desc) {
      line("field", opcode, owner, name, desc);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String desc, boolean itf) {
      line("method", opcode, owner, name, desc, itf);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String desc, Handle bsm, Object... args) {
      line("indy", name, desc, bsm, args);
    }

    @Override
    public void visitJumpInsn(int opcode, Label target) {
      line("jump", opcode, target); // goto_w reads as goto: how far a jump is does not count
    }

    @Override
    public void visitLabel(Label l) {
      line("label", l);
    }

    @Override
    public void visitLdcInsn(Object value) {
      line("ldc", value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
      line("iinc", var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
      line("tableswitch", min, max, dflt);
      for (Label t : targets) {
        line("case", t);
      }
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
      line("lookupswitch", dflt, keys);
      for (Label t : targets) {
        line("case", t);
      }
    }

    @Override
    public void visitMultiANewArrayInsn(String desc, int dimensions) {
      line("multianewarray", desc, dimensions);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
      line("try", start, end, handler, type);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
      line("maxs", maxStack, maxLocals);
    }

    @Override
    public void visitEnd() {
      out.put(name, sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
    }
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
