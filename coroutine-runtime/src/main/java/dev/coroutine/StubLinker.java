package dev.coroutine;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.LambdaConversionException;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Links the {@code invokedynamic} of a generated stub ({@link AsyncFrame#frame}): binds the body as
 * a {@link AsyncFrame.Body} through {@code LambdaMetafactory}, keeps its describe table with the
 * class that implements it, and answers a handle that creates the body's frame (the stub then
 * stores its arguments). One bound handle per stub, of a shape all stubs share, so linking costs
 * what binding a lambda does.
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

  static {
    try {
      CREATE =
          LOOKUP.findStatic(
              AsyncFrame.class,
              "create",
              MethodType.methodType(AsyncFrame.class, AsyncFrame.Body.class, int.class, int.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
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
    if (type.parameterCount() != 0) {
      // stubs that passed their arguments to the call site: an unreleased transformer
      throw new BootstrapMethodError(
          caller.lookupClass().getName()
              + " was rewritten by an unreleased transformer (its stubs pass their arguments to the"
              + " call site, type "
              + type
              + "): rewrite it again with this version");
    }
    AsyncFrame.Body b = bind(caller, body, table);
    // one bound handle of a shape every stub shares: linking costs the body's binding only
    MethodHandle create = MethodHandles.insertArguments(CREATE, 0, b, refCount, primCount);
    return new ConstantCallSite(create.asType(type));
  }

  /** The call site of a marker-3 stub: the body alone ({@link AsyncFrame#body}). */
  static CallSite linkBody(MethodHandles.Lookup caller, MethodHandle body, String table)
      throws LambdaConversionException {
    return new ConstantCallSite(
        MethodHandles.constant(AsyncFrame.Body.class, bind(caller, body, table)));
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
