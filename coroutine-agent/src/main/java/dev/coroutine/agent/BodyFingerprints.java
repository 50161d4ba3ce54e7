package dev.coroutine.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
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
 * body it would restore the wrong values. One SHA-256 per body, of its instructions and handlers
 * only: line numbers, local-variable names and frames may change (an edit above the method moves
 * lines).
 */
final class BodyFingerprints {
  private BodyFingerprints() {}

  private static final String BODY_DESC = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";

  /**
   * The fingerprint of each body of a rewritten class, by method name.
   *
   * @param classFile a class file the transformer wrote
   * @return body name to the hash of its code
   */
  static Map<String, String> of(byte[] classFile) {
    Map<String, String> out = new HashMap<>();
    new ClassReader(classFile)
        .accept(
            new ClassVisitor(Opcodes.ASM9) {
              @Override
              public MethodVisitor visitMethod(
                  int access, String name, String desc, String signature, String[] exceptions) {
                return desc.equals(BODY_DESC) ? new Hashing(name, out) : null;
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return out;
  }

  /** Hashes every instruction with its operands; labels by the order they are first met. */
  private static final class Hashing extends MethodVisitor {
    private final String name;
    private final Map<String, String> out;
    private final Map<Label, Integer> labels = new HashMap<>();
    private final MessageDigest digest;

    Hashing(String name, Map<String, String> out) {
      super(Opcodes.ASM9);
      this.name = name;
      this.out = out;
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    /** Each item with a kind tag and its length, so no two sequences encode alike. */
    private void mix(Object o) {
      String text =
          o == null
              ? "n"
              : o instanceof Label
                  ? "L" + labels.computeIfAbsent((Label) o, k -> labels.size())
                  : o.getClass().getSimpleName() + ":" + o;
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      digest.update((byte) (b.length >>> 24));
      digest.update((byte) (b.length >>> 16));
      digest.update((byte) (b.length >>> 8));
      digest.update((byte) b.length);
      digest.update(b);
    }

    @Override
    public void visitInsn(int opcode) {
      mix(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      mix(opcode);
      mix(operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
      mix(opcode);
      mix(var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      mix(opcode);
      mix(type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String fieldName, String desc) {
      mix(opcode);
      mix(owner);
      mix(fieldName);
      mix(desc);
    }

    @Override
    public void visitMethodInsn(
        int opcode, String owner, String methodName, String desc, boolean isInterface) {
      mix(opcode);
      mix(owner);
      mix(methodName);
      mix(desc);
    }

    @Override
    public void visitInvokeDynamicInsn(
        String indyName, String desc, Handle bootstrap, Object... arguments) {
      mix(Opcodes.INVOKEDYNAMIC);
      mix(indyName);
      mix(desc);
      mix(bootstrap);
      for (Object a : arguments) {
        mix(a);
      }
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      mix(opcode);
      mix(label);
    }

    @Override
    public void visitLabel(Label label) {
      mix(label);
    }

    @Override
    public void visitLdcInsn(Object value) {
      mix(Opcodes.LDC);
      mix(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
      mix(Opcodes.IINC);
      mix(var);
      mix(increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... targets) {
      mix(Opcodes.TABLESWITCH);
      mix(min);
      mix(max);
      mix(dflt);
      for (Label t : targets) {
        mix(t);
      }
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] targets) {
      mix(Opcodes.LOOKUPSWITCH);
      mix(dflt);
      for (int i = 0; i < keys.length; i++) {
        mix(keys[i]);
        mix(targets[i]);
      }
    }

    @Override
    public void visitMultiANewArrayInsn(String desc, int dims) {
      mix(Opcodes.MULTIANEWARRAY);
      mix(desc);
      mix(dims);
    }

    @Override
    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
      mix(start);
      mix(end);
      mix(handler);
      mix(type);
    }

    @Override
    public void visitEnd() {
      out.put(name, HexFormat.of().formatHex(digest.digest()));
    }
  }
}
