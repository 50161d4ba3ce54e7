package dev.coroutine.transform;

import java.util.List;
import java.util.Set;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Classes that proxy and mock generators make at run time (Mockito's subclass mocks, CGLIB and
 * Spring proxies, Hibernate's, Javassist's, JDK proxies), which only the agent sees. Some copy the
 * annotations of the methods they override, {@code @Async} included (Mockito does, so that
 * annotation-driven code sees them on the mock), onto methods whose bodies only dispatch to the
 * generator's handler. Rewritten, such a method would become lazy and its handler would not run at
 * the call: Mockito's {@code when(mock.load(1))} then saw no call on the mock and {@code
 * verify(mock).load(8)} passed for a call never made (found from outside). The target's laziness is
 * the handler's business (a stub returns a coroutine), so such a class is left as it is, unless it
 * awaits something itself: then it is a coroutine like any other.
 */
final class GeneratedProxies {
  /** Interfaces that generators give their classes (internal names). */
  private static final Set<String> MARKER_INTERFACES =
      Set.of(
          "org/mockito/internal/creation/bytebuddy/access/MockAccess",
          "org/springframework/cglib/proxy/Factory",
          "net/sf/cglib/proxy/Factory",
          "org/springframework/aop/SpringProxy",
          "org/hibernate/proxy/HibernateProxy",
          "javassist/util/proxy/ProxyObject",
          "javassist/util/proxy/Proxy");

  /** Pieces of the names generators give their classes. */
  private static final List<String> NAME_MARKERS =
      List.of(
          "$MockitoMock$",
          "$ByteBuddy$",
          "$$EnhancerBy",
          "$$SpringCGLIB$$",
          "$$FastClassBy",
          "$HibernateProxy$",
          "_$$_jvst");

  private GeneratedProxies() {}

  /**
   * True if {@code cn} is a generator's proxy or mock whose methods await nothing (no call, no
   * method reference, which the rewrite would refuse): leave it as it is.
   */
  static boolean onlyDispatches(ClassNode cn) {
    return isGenerated(cn) && !awaitsAnything(cn);
  }

  private static boolean isGenerated(ClassNode cn) {
    // not ACC_SYNTHETIC: Groovy marks its traits' helper classes synthetic, and they hold the
    // traits' own method bodies (found in review); the generators here do not use the flag
    if ("java/lang/reflect/Proxy".equals(cn.superName)) {
      return true;
    }
    for (String i : cn.interfaces) {
      if (MARKER_INTERFACES.contains(i)) {
        return true;
      }
    }
    for (String m : NAME_MARKERS) {
      if (cn.name.contains(m)) {
        return true;
      }
    }
    return false;
  }

  private static boolean awaitsAnything(ClassNode cn) {
    for (MethodNode m : cn.methods) {
      if (CoroutineMethods.usesAwait(m)) {
        return true;
      }
    }
    return false;
  }
}
