package dev.coroutine.javac;

import dev.coroutine.transform.ClassFileLocator;
import java.util.List;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Supertypes from javac's own model instead of class files: for a class javac knows (from the
 * sources being compiled, the class path or the platform), a header-only class file holding what
 * the transformer reads of a supertype (its name, access, superclass and interfaces), with the
 * access flags javac itself writes. Classes of the current compilation are known before javac
 * writes them, and nothing is loaded. Returns null for a class the model cannot name by its binary
 * name (local and anonymous classes), so a locator behind it can look further.
 */
final class ModelClassLocator implements ClassFileLocator {
  /** javac's elements of the running compilation. */
  private final Elements elements;

  ModelClassLocator(Elements elements) {
    this.elements = elements;
  }

  @Override
  public byte[] find(String internalName) {
    TypeElement type = typeOf(internalName);
    if (type == null) {
      return null;
    }
    boolean isInterface = type.getKind().isInterface(); // interfaces and annotation interfaces
    // javac writes a protected nested class as public and a private one as package-private
    boolean isPublic =
        type.getModifiers().contains(Modifier.PUBLIC)
            || type.getModifiers().contains(Modifier.PROTECTED);
    int access =
        (isPublic ? Opcodes.ACC_PUBLIC : 0)
            | (isInterface ? Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT : Opcodes.ACC_SUPER);
    String superName =
        internalName.equals("java/lang/Object") ? null : internalNameOf(type.getSuperclass());
    if (superName == null && !internalName.equals("java/lang/Object")) {
      superName = "java/lang/Object"; // interfaces: javac writes Object as their superclass
    }
    List<? extends TypeMirror> interfaces = type.getInterfaces();
    String[] names = new String[interfaces.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = internalNameOf(interfaces.get(i));
    }
    ClassWriter w = new ClassWriter(0);
    w.visit(Opcodes.V1_8, access, internalName, null, superName, names);
    w.visitEnd();
    return w.toByteArray();
  }

  /** The type whose binary name is {@code internalName} with dots, or null. */
  private TypeElement typeOf(String internalName) {
    String binary = internalName.replace('/', '.');
    // a nested class's canonical name has '.' where its binary name has '$'
    for (String candidate : List.of(binary.replace('$', '.'), binary)) {
      TypeElement t;
      try {
        t = elements.getTypeElement(candidate);
      } catch (RuntimeException e) {
        t = null;
      }
      if (t != null && elements.getBinaryName(t).contentEquals(binary)) {
        return t;
      }
    }
    return null;
  }

  /** The internal name of a declared type's class, or null for none (Object's superclass). */
  private String internalNameOf(TypeMirror type) {
    if (type.getKind() != TypeKind.DECLARED) {
      return null;
    }
    TypeElement e = (TypeElement) ((DeclaredType) type).asElement();
    if (e.getKind() == ElementKind.OTHER) {
      return null;
    }
    return elements.getBinaryName(e).toString().replace('.', '/');
  }
}
