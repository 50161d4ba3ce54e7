package dev.coroutine.transform;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;

/**
 * Supertypes learned by reading class files through a {@link ClassFileLocator}, never by loading
 * classes: what frame computation needs to merge two reference types.
 *
 * <p>A class whose class file cannot be read (defined from bytes by a custom loader, by {@code
 * Lookup.defineClass}, by an in-memory compiler) is <em>unknown</em>. Nothing is assumed about an
 * unknown class: a view for one class being transformed ({@link #with}) also holds the supertypes
 * that class's own stack-map frames declare for such types ({@link #declare}: a value of type X
 * reaching a frame slot declared T means X is assignable to T, which the JVM checked when it
 * verified the class), and merges that involve an unknown type use only those, naming the most
 * specific class among the supertypes they share (the verifier checks a value against a class, not
 * against an interface), with what the class itself tells of which unreadable types are interfaces
 * ({@link ClassKinds}). A merge of unknown types that nothing declares throws {@link MissingType},
 * one that depends on a kind nothing tells {@link AmbiguousType}, instead of guessing.
 *
 * <p>Known classes merge only through what the class's own frames rely on ({@link #rely}): a value
 * of class X reaching a frame slot declared as class T is a fact the original code was verified
 * with, so frames and casts of the rewrite may claim T. A merge the facts do not support gives the
 * nearest superclass they do, at worst Object (the verifier takes any object where an interface is
 * expected), never a superclass the original code did not name: a rewritten class stays as loadable
 * as the compiler's when a library it was built against changes its hierarchy (a class that no
 * longer extends the common superclass it had then).
 *
 * <p>Where a class file contradicts the frames (they rely on a supertype its file does not give: a
 * loader whose resources serve an older copy of the class than the one it loads), the frames win:
 * that class's supertypes are its file's and the frames' together, and merges through it take the
 * general path, as for an unknown class.
 *
 * <p>The root instance is thread-safe and caches what it reads; a view is used by one thread.
 */
final class ClassHierarchy {
  private static final String OBJECT = "java/lang/Object";

  /** What the hierarchy needs of one class. */
  record Info(String superName, boolean isInterface, boolean isPublic, List<String> interfaces) {}

  /** Thrown when a merge needs the supertypes of a class that cannot be read or inferred. */
  static final class MissingType extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The unknown class, internal name. */
    final String type;

    MissingType(String type, String other) {
      super(
          unreadable(
              type,
              "this class's stack map frames do not say which supertype it shares with "
                  + other.replace('/', '.')),
          null,
          false,
          false);
      this.type = type;
    }
  }

  /** The message of a merge that needs to know more of unreadable {@code type}: {@code why}. */
  private static String unreadable(String type, String why) {
    return "the class file of "
        + type.replace('/', '.')
        + " cannot be read (is it defined from bytes by a class loader that does not also serve it"
        + " as a resource?), and "
        + why
        + "; make its class file readable through the class loader (getResource) or the build"
        + " class path";
  }

  /**
   * Thrown when a merge has two candidate supertypes the rewrite cannot order because whether an
   * unreadable one is an interface or a class is unknown: naming the wrong one fails verification.
   */
  static final class AmbiguousType extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The unreadable type whose kind is unknown, internal name. */
    final String type;

    /** The method whose frames needed the merge ({@code name + desc}), once known, else null. */
    final String method;

    AmbiguousType(String type, String a, String b, String other) {
      super(
          unreadable(
              type,
              "nothing in this class says whether it is an interface, or a class below "
                  + other.replace('/', '.')
                  + ", which a merge of "
                  + a.replace('/', '.')
                  + " and "
                  + b.replace('/', '.')
                  + " (both a "
                  + type.replace('/', '.')
                  + " and a "
                  + other.replace('/', '.')
                  + ") must know"),
          null,
          false,
          false);
      this.type = type;
      this.method = null;
    }

    private AmbiguousType(AmbiguousType cause, String method) {
      super(cause.getMessage(), null, false, false);
      this.type = cause.type;
      this.method = method;
    }

    /** This error, naming the method whose frames needed the merge. */
    AmbiguousType in(String method) {
      return new AmbiguousType(this, method);
    }
  }

  /** Reads class files. */
  private final ClassFileLocator locator;

  /** Class name to its info (empty when the class file is not found); the root's, shared. */
  private final Map<String, Optional<Info>> cache;

  /** The class being transformed and its info, or null in the root. */
  private final String own;

  private final Info ownInfo;

  /** Supertypes declared for unknown types by the transformed class's frames (view only). */
  private final Map<String, Set<String>> declared;

  /**
   * Whether unknown types are interfaces (true) or classes (false), as the transformed class tells
   * ({@link ClassKinds}); view only.
   */
  private final Map<String, Boolean> kinds;

  /**
   * Superclasses the transformed class's frames rely on, class to classes (view only): the only
   * ones a merge of known classes may give besides Object.
   */
  private final Map<String, Set<String>> relied;

  /**
   * Whether a class's file contradicts what the frames rely on for it (view only; cleared when a
   * fact is added).
   */
  private final Map<String, Boolean> contradicted = new HashMap<>();

  /**
   * Whether any class the frames rely on is contradicted (view only; null until asked, cleared when
   * a fact is added): almost never, so the usual merge pays one field read for the check.
   */
  private Boolean anyContradicted;

  ClassHierarchy(ClassFileLocator locator) {
    this(locator, new ConcurrentHashMap<>(), null, null, null, null, null);
  }

  private ClassHierarchy(
      ClassFileLocator locator,
      Map<String, Optional<Info>> cache,
      String own,
      Info ownInfo,
      Map<String, Set<String>> declared,
      Map<String, Set<String>> relied,
      Map<String, Boolean> kinds) {
    this.locator = locator;
    this.cache = cache;
    this.own = own;
    this.ownInfo = ownInfo;
    this.declared = declared;
    this.relied = relied;
    this.kinds = kinds;
  }

  /**
   * A view for transforming class {@code name}: knows it from its parsed form, shares this
   * hierarchy's cache of class files, and collects the class's {@link #declare declarations}.
   */
  ClassHierarchy with(String name, Info info) {
    return new ClassHierarchy(
        locator, cache, name, info, new HashMap<>(), new HashMap<>(), new HashMap<>());
  }

  /**
   * Records that type {@code type} is an interface (or a class), as the transformed class tells:
   * for an unreadable type the only word, for a readable one the last (see {@link #kindOf}).
   */
  void learnKind(String type, boolean isInterface) {
    if (kinds != null) {
      kinds.putIfAbsent(type, isInterface);
    }
  }

  /**
   * True if an interface, false if a class, null if unknown (unreadable and nothing learned). Where
   * the class file says one and the transformed class's code the other (an {@code invokevirtual} on
   * a type the file makes an interface: a loader's resources serving an older release), the code
   * wins, as the frames do about supertypes: it was compiled against the type it runs with.
   */
  private Boolean kindOf(String name) {
    Boolean learned = kinds == null ? null : kinds.get(name);
    Optional<Info> i = info(name);
    if (i.isPresent() && learned == null) {
      return i.get().isInterface();
    }
    return learned;
  }

  /** Records that the class's frames declare unknown type {@code type} assignable to {@code to}. */
  void declare(String type, String to) {
    if (declared != null && !type.equals(to)) {
      declared.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(to);
    }
  }

  /**
   * Records that the class's frames rely on class {@code type} being assignable to class {@code to}
   * (a value of {@code type} reaches a slot they declare {@code to}).
   */
  void rely(String type, String to) {
    if (relied != null && !type.equals(to) && !to.equals(OBJECT)) {
      relied.computeIfAbsent(type, k -> new LinkedHashSet<>()).add(to);
      contradicted.clear();
      anyContradicted = null;
    }
  }

  /**
   * True if the frames rely on class {@code c} being a class its class file does not make it: the
   * file read is not the class the code was compiled against. (Interfaces do not count: the
   * verifier takes any object for one, and some compilers' frames rely on no more.)
   */
  private boolean isContradicted(String c) {
    Set<String> to = relied == null ? null : relied.get(c);
    if (to == null || info(c).isEmpty()) {
      return false;
    }
    Boolean known = contradicted.get(c);
    if (known == null) {
      Set<String> file = supertypes(c, false);
      known = false;
      for (String t : to) {
        if (!file.contains(t) && !Boolean.TRUE.equals(kindOf(t))) {
          known = true;
          break;
        }
      }
      contradicted.put(c, known);
    }
    return known;
  }

  /** True if the frames contradict any class file (computed once per set of facts). */
  private boolean anyContradicted() {
    if (anyContradicted == null) {
      anyContradicted = relied.keySet().stream().anyMatch(this::isContradicted);
    }
    return anyContradicted;
  }

  /** True if a class file among {@code name}'s supertypes is contradicted by the frames. */
  private boolean reachesContradiction(String name) {
    if (relied == null || !anyContradicted()) {
      return false;
    }
    for (String c : supertypes(name)) {
      if (isContradicted(c)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True if the frames rely, directly or through other facts, on {@code type} being a {@code to};
   * or if some class the frames rely on being both (it has both on its one superclass chain) has
   * {@code type} below {@code to} there: a merge through {@code type} (an earlier merge's result)
   * then needs nothing the compiler's class did not.
   */
  private boolean reliesOn(String type, String to) {
    if (reliesDirectly(type, to)) {
      return true;
    }
    if (!isAssignable(to, type)) {
      return false;
    }
    for (String x : relied.keySet()) {
      if (reliesDirectly(x, type) && reliesDirectly(x, to)) {
        return true;
      }
    }
    return false;
  }

  private boolean reliesDirectly(String type, String to) {
    if (type.equals(to) || to.equals(OBJECT)) {
      return true;
    }
    Set<String> seen = new HashSet<>();
    ArrayDeque<String> pending = new ArrayDeque<>();
    pending.add(type);
    while (!pending.isEmpty()) {
      String c = pending.poll();
      if (!seen.add(c)) {
        continue;
      }
      for (String s : relied.getOrDefault(c, Set.of())) {
        if (s.equals(to)) {
          return true;
        }
        pending.add(s);
      }
    }
    return false;
  }

  Optional<Info> info(String name) {
    if (name.equals(own)) {
      return Optional.of(ownInfo);
    }
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

  /** True if the class files of {@code name} and all its supertypes can be read. */
  boolean isKnown(String name) {
    ArrayDeque<String> pending = new ArrayDeque<>();
    pending.add(name);
    while (!pending.isEmpty()) {
      Optional<Info> i = info(pending.poll());
      if (i.isEmpty()) {
        return false;
      }
      if (i.get().superName() != null) {
        pending.add(i.get().superName());
      }
      pending.addAll(i.get().interfaces());
    }
    return true;
  }

  boolean isInterface(String name) {
    return Boolean.TRUE.equals(kindOf(name));
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

  /**
   * Every supertype of {@code name} the class files and declarations tell, and the frames where
   * they contradict a class file; nearest first.
   */
  private Set<String> supertypes(String name) {
    return supertypes(name, true);
  }

  private Set<String> supertypes(String name, boolean withContradictions) {
    Set<String> seen = new LinkedHashSet<>();
    ArrayDeque<String> pending = new ArrayDeque<>();
    pending.add(name);
    while (!pending.isEmpty()) {
      String c = pending.poll();
      if (!seen.add(c)) {
        continue;
      }
      Optional<Info> i = info(c);
      if (i.isPresent()) {
        if (i.get().superName() != null) {
          pending.add(i.get().superName());
        }
        pending.addAll(i.get().interfaces());
      }
      if (declared != null) {
        pending.addAll(declared.getOrDefault(c, Set.of()));
      }
      if (withContradictions && isContradicted(c)) {
        pending.addAll(relied.get(c));
      }
    }
    return seen;
  }

  /** True if a value of class/interface {@code from} can be assigned to {@code to}. */
  boolean isAssignable(String to, String from) {
    return to.equals(from) || to.equals(OBJECT) || supertypes(from).contains(to);
  }

  /**
   * The most specific common superclass, Object when either is an interface. When either class is
   * unknown, or a class file the frames contradict: the nearest common supertype that class files
   * and frames tell.
   *
   * @throws MissingType if a class is unknown and nothing is declared about it
   */
  String commonSuperClass(String a, String b) {
    if (isKnown(a) && isKnown(b) && !reachesContradiction(a) && !reachesContradiction(b)) {
      if (isInterface(a) || isInterface(b)) {
        // an interface type verifies as Object, so naming it costs the verifier nothing
        return isAssignable(a, b) ? a : isAssignable(b, a) ? b : OBJECT;
      }
      String c = a;
      while (c != null && !c.equals(OBJECT) && !isAssignable(c, b)) {
        c = superName(c);
      }
      // the nearest common superclass, or above it the nearest the frames rely on for both
      while (relied != null && c != null && !(reliesOn(a, c) && reliesOn(b, c))) {
        c = superName(c);
      }
      return c == null ? OBJECT : c;
    }
    if (isAssignable(a, b)) {
      return a;
    }
    if (isAssignable(b, a)) {
      return b;
    }
    Set<String> ofA = supertypes(a);
    Set<String> ofB = supertypes(b);
    List<String> common = new ArrayList<>();
    for (String c : ofA) {
      if (!c.equals(OBJECT) && ofB.contains(c)) {
        common.add(c);
      }
    }
    if (!common.isEmpty()) {
      return mostSpecific(a, b, common);
    }
    String unknown = firstUnknown(a, ofA);
    if (unknown != null && !isDeclared(ofA)) {
      throw new MissingType(unknown, b);
    }
    unknown = firstUnknown(b, ofB);
    if (unknown != null && !isDeclared(ofB)) {
      throw new MissingType(unknown, a);
    }
    return OBJECT;
  }

  /**
   * Of the supertypes {@code a} and {@code b} share (nearest first), the one a frame should name:
   * the most specific class among them, since the verifier takes any object where an interface is
   * expected but checks classes (naming an interface where the code then uses the value as a class
   * fails verification); the nearest shared interface when there is no class.
   *
   * @throws AmbiguousType if two of them cannot be ordered because an unreadable one may be either
   */
  private String mostSpecific(String a, String b, List<String> common) {
    List<String> classes = new ArrayList<>();
    for (String c : common) {
      if (!Boolean.TRUE.equals(kindOf(c))) {
        classes.add(c);
      }
    }
    if (classes.isEmpty()) {
      return common.get(0);
    }
    String lowest = lowest(classes);
    if (lowest != null) {
      return lowest;
    }
    // the classes a and b share lie on one superclass chain, and a readable class's superclasses
    // are readable: an unreadable class among them is below every readable one (so there is one:
    // readable classes of one chain are ordered). The answer is the unreadable one below the
    // other unreadable ones, if it is known to be a class at all
    List<String> unreadable = new ArrayList<>();
    for (String c : classes) {
      if (info(c).isEmpty()) {
        unreadable.add(c);
      }
    }
    lowest = lowest(unreadable);
    if (lowest != null && Boolean.FALSE.equals(kindOf(lowest))) {
      return lowest;
    }
    String doubt = lowest != null ? lowest : unreadable.get(0);
    String other = classes.get(classes.get(0).equals(doubt) ? 1 : 0);
    throw new AmbiguousType(doubt, a, b, other);
  }

  /** The one of {@code types} assignable to all the others, or null if the facts order none so. */
  private String lowest(List<String> types) {
    for (String c : types) {
      if (types.stream().allMatch(d -> isAssignable(d, c))) {
        return c;
      }
    }
    return null;
  }

  /** True if the frames declared something about one of {@code types}. */
  private boolean isDeclared(Set<String> types) {
    if (declared == null) {
      return false;
    }
    for (String t : types) {
      if (declared.containsKey(t)) {
        return true;
      }
    }
    return false;
  }

  private String firstUnknown(String name, Set<String> supertypes) {
    List<String> order = new ArrayList<>(supertypes);
    order.remove(OBJECT);
    for (String t : order) {
      if (info(t).isEmpty()) {
        return t;
      }
    }
    return null;
  }
}
