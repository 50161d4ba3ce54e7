package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Supertypes learned by reading class files through a {@link ClassFileLocator}, never by loading
 * classes: what frame computation needs to merge two reference types. Unknown types are treated
 * as direct subclasses of {@code Object}. Thread-safe.
 */
final class ClassHierarchy {
  private static final String OBJECT = "java/lang/Object";

  /** What the hierarchy needs of one class. */
  record Info(String superName, boolean isInterface, boolean isPublic, List<String> interfaces) {}

  /** Reads class files. */
  private final ClassFileLocator locator;
  /** Class name to its info (empty when the class file is not found). */
  private final Map<String, Optional<Info>> cache = new ConcurrentHashMap<>();

  ClassHierarchy(ClassFileLocator locator) {
    this.locator = locator;
  }

  /** A view that knows {@code name} from its parsed form (the class being transformed). */
  ClassHierarchy with(String name, Info info) {
    ClassHierarchy h = new ClassHierarchy(locator);
    h.cache.putAll(cache);
    h.cache.put(name, Optional.of(info));
    return h;
  }

  Optional<Info> info(String name) {
    Optional<Info> i = cache.get(name);
    if (i == null) {
      i = Optional.ofNullable(read(name));
      cache.put(name, i);
    }
    return i;
  }

  private Info read(String name) {
    byte[] b;
    try {
      b = locator.find(name);
    } catch (RuntimeException e) {
      return null;
    }
    if (b == null) {
      return null;
    }
    try {
      ClassReader r = new ClassReader(b);
      return new Info(
          r.getSuperName(),
          (r.getAccess() & Opcodes.ACC_INTERFACE) != 0,
          (r.getAccess() & Opcodes.ACC_PUBLIC) != 0,
          List.of(r.getInterfaces()));
    } catch (RuntimeException e) {
      return null;
    }
  }

  boolean isInterface(String name) {
    return info(name).map(Info::isInterface).orElse(false);
  }

  /** The superclass, or null for Object; Object for an unknown class. */
  String superName(String name) {
    if (name.equals(OBJECT)) {
      return null;
    }
    return info(name).map(Info::superName).orElse(OBJECT);
  }

  /**
   * The most specific supertype of {@code name} (itself if possible) that code in class {@code
   * from} may name: public, or in the same package. Unknown classes are taken as they are.
   */
  String accessibleFrom(String from, String name) {
    String c = name;
    while (c != null && !c.equals(OBJECT)) {
      Optional<Info> i = info(c);
      if (i.isEmpty() || i.get().isPublic() || packageOf(c).equals(packageOf(from))) {
        return c;
      }
      c = i.get().superName();
    }
    return OBJECT;
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  /** True if a value of class/interface {@code from} can be assigned to {@code to}. */
  boolean isAssignable(String to, String from) {
    if (to.equals(from) || to.equals(OBJECT)) {
      return true;
    }
    List<String> pending = new ArrayList<>();
    pending.add(from);
    while (!pending.isEmpty()) {
      String c = pending.remove(pending.size() - 1);
      if (c.equals(to)) {
        return true;
      }
      Optional<Info> i = info(c);
      if (i.isPresent()) {
        if (i.get().superName() != null) {
          pending.add(i.get().superName());
        }
        pending.addAll(i.get().interfaces());
      }
    }
    return false;
  }

  /** The most specific common superclass, Object when either is an interface. */
  String commonSuperClass(String a, String b) {
    if (isAssignable(a, b)) {
      return a;
    }
    if (isAssignable(b, a)) {
      return b;
    }
    if (isInterface(a) || isInterface(b)) {
      return OBJECT;
    }
    String c = a;
    while (c != null && !c.equals(OBJECT)) {
      c = superName(c);
      if (c != null && isAssignable(c, b)) {
        return c;
      }
    }
    return OBJECT;
  }
}
