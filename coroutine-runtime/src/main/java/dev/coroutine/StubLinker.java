package dev.coroutine;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

/**
 * Links the {@code invokedynamic} of a generated stub ({@link AsyncFrame#frame}): one method handle
 * that creates the body's frame and stores the arguments, built once per stub, which the JIT
 * compiles into the same allocation and stores as hand-written code. Keeps each body's describe
 * table with the class that implements its {@link AsyncFrame.Body}.
 *
 * <p>Where an argument goes is the protocol's rule (PROTOCOL.md), the same as the transformer's:
 * references numbered in order ({@code this} first) to {@code ref0}, then {@code refs[0..]};
 * primitives numbered in order to {@code prims[0..]} as longs (float and double as raw bits),
 * except that an int-sized primitive number 0 goes to the int field {@code prim0}.
 */
final class StubLinker {
  private StubLinker() {}

  /** {@code Body.resume}'s type, which a body method has. */
  private static final MethodType RESUME = MethodType.methodType(Object.class, AsyncFrame.class);

  /** The describe table handed to {@link #link} on this thread, for {@link #TABLES}. */
  private static final ThreadLocal<String> REGISTERING = new ThreadLocal<>();

  /**
   * The describe table of each body class {@link #link} bound (null for any other class: a class
   * rewritten by an earlier transformer answers a describe query itself). Kept with the class, so
   * it goes when the class is unloaded. Relies on {@code LambdaMetafactory} handing out a class of
   * its own per call site (spun, or taken from a CDS or AOT archive), which nothing has looked up
   * here before {@link #bind} registers it: a class first looked up elsewhere keeps null for good.
   * An outside review found it to hold with the JDK 17 dynamic archive, the JDK 25 AOT cache and
   * eager lambda initialization disabled.
   */
  private static final ClassValue<String> TABLES =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return REGISTERING.get();
        }
      };

  private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
  private static final MethodHandle CREATE;
  private static final MethodHandle SET_REF0;
  private static final MethodHandle SET_REF;
  private static final MethodHandle SET_PRIM0;
  private static final MethodHandle SET_PRIM;
  private static final MethodHandle BOOLEAN_BITS;
  private static final MethodHandle FLOAT_BITS;
  private static final MethodHandle DOUBLE_BITS;

  static {
    try {
      CREATE =
          LOOKUP.findStatic(
              AsyncFrame.class,
              "create",
              MethodType.methodType(AsyncFrame.class, AsyncFrame.Body.class, int.class, int.class));
      SET_REF0 = LOOKUP.findSetter(AsyncFrame.class, "ref0", Object.class);
      SET_REF = find("setRef", Object.class);
      SET_PRIM0 = LOOKUP.findSetter(AsyncFrame.class, "prim0", int.class);
      SET_PRIM = find("setPrim", long.class);
      BOOLEAN_BITS =
          LOOKUP.findStatic(
              StubLinker.class, "bits", MethodType.methodType(int.class, boolean.class));
      FLOAT_BITS =
          LOOKUP.findStatic(
              Float.class, "floatToRawIntBits", MethodType.methodType(int.class, float.class));
      DOUBLE_BITS =
          LOOKUP.findStatic(
              Double.class, "doubleToRawLongBits", MethodType.methodType(long.class, double.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static MethodHandle find(String name, Class<?> value)
      throws ReflectiveOperationException {
    return LOOKUP.findStatic(
        StubLinker.class,
        name,
        MethodType.methodType(void.class, AsyncFrame.class, int.class, value));
  }

  private static void setRef(AsyncFrame<?> f, int i, Object v) {
    f.refs[i] = v;
  }

  private static void setPrim(AsyncFrame<?> f, int i, long v) {
    f.prims[i] = v;
  }

  private static int bits(boolean z) {
    return z ? 1 : 0;
  }

  /** The call site of one stub: see {@link AsyncFrame#frame}. */
  static CallSite link(
      MethodHandles.Lookup caller,
      MethodType type,
      MethodHandle body,
      String table,
      int refCount,
      int primCount)
      throws LambdaConversionException {
    AsyncFrame.Body b = bind(caller, body, table);
    // (AsyncFrame, args...)AsyncFrame returning the frame, each argument stored by a combiner
    List<Class<?>> args = new ArrayList<>();
    for (Class<?> c : type.parameterList()) {
      args.add(c.isPrimitive() ? c : Object.class); // erased: no access needed to user types
    }
    MethodHandle h = MethodHandles.dropArguments(MethodHandles.identity(AsyncFrame.class), 1, args);
    int refs = 0;
    int prims = 0;
    for (int i = 0; i < args.size(); i++) {
      Class<?> c = args.get(i);
      MethodHandle store = c.isPrimitive() ? primStore(c, prims++) : refStore(refs++);
      store = MethodHandles.dropArguments(store, 1, args.subList(0, i));
      store = MethodHandles.dropArguments(store, i + 2, args.subList(i + 1, args.size()));
      h = MethodHandles.foldArguments(h, store);
    }
    MethodHandle create = MethodHandles.insertArguments(CREATE, 0, b, refCount, primCount);
    h = MethodHandles.foldArguments(h, create); // (args...)AsyncFrame
    return new ConstantCallSite(h.asType(type));
  }

  /** (AsyncFrame, Object)void storing reference number {@code n}. */
  private static MethodHandle refStore(int n) {
    return n == 0 ? SET_REF0 : MethodHandles.insertArguments(SET_REF, 1, n - 1);
  }

  /** (AsyncFrame, c)void storing primitive number {@code n} of type {@code c}. */
  private static MethodHandle primStore(Class<?> c, int n) {
    boolean wide = c == long.class || c == double.class;
    if (n == 0 && !wide) {
      return MethodHandles.filterArguments(SET_PRIM0, 1, toInt(c));
    }
    MethodHandle set = MethodHandles.insertArguments(SET_PRIM, 1, n);
    if (c == double.class) {
      return MethodHandles.filterArguments(set, 1, DOUBLE_BITS);
    }
    if (c == long.class) {
      return set;
    }
    MethodHandle widen = toInt(c).asType(MethodType.methodType(long.class, c));
    return MethodHandles.filterArguments(set, 1, widen);
  }

  /** (c)int: an int-sized primitive as the int it is saved as. */
  private static MethodHandle toInt(Class<?> c) {
    if (c == boolean.class) {
      return BOOLEAN_BITS;
    }
    if (c == float.class) {
      return FLOAT_BITS;
    }
    return MethodHandles.identity(int.class).asType(MethodType.methodType(int.class, c));
  }

  /** Binds {@code body} as a {@link AsyncFrame.Body} and keeps its table. */
  private static AsyncFrame.Body bind(MethodHandles.Lookup caller, MethodHandle body, String table)
      throws LambdaConversionException {
    CallSite site =
        LambdaMetafactory.metafactory(
            caller, "resume", MethodType.methodType(AsyncFrame.Body.class), RESUME, body, RESUME);
    AsyncFrame.Body b;
    try {
      b = (AsyncFrame.Body) site.getTarget().invoke();
    } catch (Throwable t) {
      throw new BootstrapMethodError("cannot bind " + body + " as a coroutine body", t);
    }
    REGISTERING.set(table);
    try {
      TABLES.get(b.getClass());
    } finally {
      REGISTERING.remove();
    }
    return b;
  }

  /** The describe table of a body bound here, or null. */
  static String table(Class<?> bodyClass) {
    return TABLES.get(bodyClass);
  }
}
