package dev.coroutine.agent;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What a debugger's HotSwap may not change in a rewritten class: the code of its coroutine bodies
 * (the methods of descriptor {@code (AsyncFrame)Object}). A coroutine suspended at an await keeps
 * its state (which await, the values it saved) laid out for the body it ran; resumed in another
 * body it would restore the wrong values. One SHA-256 per body, of the body written alone by ASM
 * into a class of its own without debug information or frames (its own constant pool, built in the
 * order of its own references): line numbers, local-variable names and frames may change (an edit
 * above the method moves lines), everything else is compared.
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
                if (!desc.equals(BODY_DESC)) {
                  return null;
                }
                ClassWriter alone = new ClassWriter(0);
                alone.visit(Opcodes.V17, 0, "Body", null, "java/lang/Object", null);
                return new MethodVisitor(
                    Opcodes.ASM9, alone.visitMethod(access, name, desc, null, exceptions)) {
                  @Override
                  public void visitEnd() {
                    super.visitEnd();
                    alone.visitEnd();
                    out.put(name, sha256(alone.toByteArray()));
                  }
                };
              }
            },
            ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return out;
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
