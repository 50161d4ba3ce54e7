package dev.coroutine.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.coroutine.Coroutine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.discovery.ClassSelector;
import org.junit.platform.engine.discovery.MethodSelector;
import org.junit.platform.engine.discovery.UniqueIdSelector;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.engine.support.discovery.EngineDiscoveryRequestResolver;
import org.junit.platform.engine.support.discovery.SelectorResolver;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Platform engine that runs {@link AsyncTest} methods (engine id {@value #ENGINE_ID}).
 * Jupiter runs only {@code void} test methods, so a test method that returns a {@code Coroutine}
 * needs an engine of its own; on the class path beside Jupiter (Maven Surefire, Gradle and IDEs run
 * every engine they find) it picks the {@code @AsyncTest} methods of the classes they select, and
 * Jupiter keeps the {@code @Test} ones.
 *
 * <p>Invariant: each test gets a new instance of its class and a {@link TestRun} of its own (fresh
 * loop, virtual clock unless asked otherwise); Jupiter's {@code @BeforeEach} methods (superclass
 * first) run on that loop before it, its {@code @AfterEach} methods (subclass first) after it,
 * whatever happened; a set-up failure skips the test body. {@code @Disabled} on the method or the
 * class skips it, {@code @DisplayName} names it, a failed assumption aborts it.
 */
public final class AsyncTestEngine implements TestEngine {
  /** The engine's id, the first segment of its tests' unique ids. */
  public static final String ENGINE_ID = "coroutine-test";

  /** A new engine; the JUnit Platform's launcher creates it through the service loader. */
  public AsyncTestEngine() {}

  @Override
  public String getId() {
    return ENGINE_ID;
  }

  @Override
  public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
    EngineDescriptor engine = new EngineDescriptor(uniqueId, "coroutine @AsyncTest");
    EngineDiscoveryRequestResolver.<EngineDescriptor>builder()
        .addClassContainerSelectorResolver(AsyncTestEngine::isTestClass)
        .addSelectorResolver(context -> new Resolver())
        .build()
        .resolve(request, engine);
    return engine;
  }

  @Override
  public void execute(ExecutionRequest request) {
    EngineExecutionListener listener = request.getEngineExecutionListener();
    TestDescriptor engine = request.getRootTestDescriptor();
    listener.executionStarted(engine);
    for (TestDescriptor c : engine.getChildren()) {
      ClassDescriptor cd = (ClassDescriptor) c;
      String disabled = disabledReason(cd.testClass);
      if (disabled != null) {
        listener.executionSkipped(cd, disabled);
        continue;
      }
      listener.executionStarted(cd);
      for (TestDescriptor m : cd.getChildren()) {
        MethodDescriptor md = (MethodDescriptor) m;
        String off = disabledReason(md.method);
        if (off != null) {
          listener.executionSkipped(md, off);
          continue;
        }
        listener.executionStarted(md);
        listener.executionFinished(md, execute(md));
      }
      listener.executionFinished(cd, TestExecutionResult.successful());
    }
    listener.executionFinished(engine, TestExecutionResult.successful());
  }

  /** Runs one test: a new instance, its set-up, the test, its tear-down, the kit's checks. */
  private static TestExecutionResult execute(MethodDescriptor md) {
    Class<?> cls = md.testClass;
    Method m = md.method;
    String name = cls.getSimpleName() + "." + m.getName() + "()";
    try {
      checkSignature(m, "@AsyncTest", true);
      List<Method> before =
          AnnotationSupport.findAnnotatedMethods(
              cls, BeforeEach.class, HierarchyTraversalMode.TOP_DOWN);
      List<Method> after =
          AnnotationSupport.findAnnotatedMethods(
              cls, AfterEach.class, HierarchyTraversalMode.BOTTOM_UP);
      for (Method x : before) {
        checkSignature(x, "@BeforeEach", false);
      }
      for (Method x : after) {
        checkSignature(x, "@AfterEach", false);
      }
      Object instance = ReflectionSupport.newInstance(cls);
      AsyncTest a = m.getAnnotation(AsyncTest.class);
      Duration limit =
          a.timeout() > 0 ? Duration.ofSeconds(a.timeout()) : AsyncTests.defaultTimeout();
      TestRun run = new TestRun(name, a.virtualTime(), a.debug(), limit);
      run.run(steps(before, instance), step(m, instance), steps(after, instance));
      return TestExecutionResult.successful();
    } catch (TestAbortedException aborted) {
      return TestExecutionResult.aborted(aborted);
    } catch (Throwable t) {
      return TestExecutionResult.failed(t);
    }
  }

  private static List<TestRun.Step> steps(List<Method> methods, Object instance) {
    List<TestRun.Step> steps = new ArrayList<>(methods.size());
    for (Method m : methods) {
      steps.add(step(m, instance));
    }
    return steps;
  }

  /** Calls {@code m} on {@code instance}: its exception is thrown unchanged (not wrapped). */
  private static TestRun.Step step(Method m, Object instance) {
    return () -> {
      Object r =
          ReflectionSupport.invokeMethod(m, Modifier.isStatic(m.getModifiers()) ? null : instance);
      if (r == null && Coroutine.class.isAssignableFrom(m.getReturnType())) {
        throw new IllegalStateException(where(m) + " returned null instead of a Coroutine");
      }
      return r;
    };
  }

  /**
   * Refuses, naming the method, what the engine cannot run: parameters, or (for the test itself) a
   * return type other than {@code Coroutine}; lifecycle methods may also be {@code void}.
   */
  private static void checkSignature(Method m, String what, boolean mustReturnCoroutine) {
    boolean coroutine = Coroutine.class.isAssignableFrom(m.getReturnType());
    if (m.getParameterCount() != 0
        || (mustReturnCoroutine ? !coroutine : !coroutine && m.getReturnType() != void.class)) {
      throw new IllegalStateException(
          what
              + " method "
              + where(m)
              + " must take no parameters and return "
              + (mustReturnCoroutine ? "Coroutine<T>" : "Coroutine<T> or void")
              + " (an @Async method, or one returning a coroutine); it is "
              + m.toGenericString());
    }
  }

  private static String where(Method m) {
    return m.getDeclaringClass().getName() + "." + m.getName() + "()";
  }

  private static String disabledReason(java.lang.reflect.AnnotatedElement e) {
    return AnnotationSupport.findAnnotation(e, Disabled.class)
        .map(d -> d.value().isEmpty() ? "@Disabled" : d.value())
        .orElse(null);
  }

  private static String displayName(java.lang.reflect.AnnotatedElement e, String fallback) {
    return AnnotationSupport.findAnnotation(e, DisplayName.class)
        .map(DisplayName::value)
        .filter(s -> !s.isBlank())
        .orElse(fallback);
  }

  /**
   * A class the engine looks into: concrete, static if nested, with an {@code @AsyncTest} method.
   */
  static boolean isTestClass(Class<?> c) {
    int mod = c.getModifiers();
    return !Modifier.isAbstract(mod)
        && !c.isInterface()
        && !c.isLocalClass()
        && !c.isAnonymousClass()
        && (c.getEnclosingClass() == null || Modifier.isStatic(mod))
        && !testMethods(c).isEmpty();
  }

  private static List<Method> testMethods(Class<?> c) {
    return AnnotationSupport.findAnnotatedMethods(
        c, AsyncTest.class, HierarchyTraversalMode.TOP_DOWN);
  }

  /** Turns class, method and unique-id selectors into descriptors. */
  private static final class Resolver implements SelectorResolver {
    @Override
    public Resolution resolve(ClassSelector selector, Context context) {
      Class<?> c = selector.getJavaClass();
      if (!isTestClass(c)) {
        return Resolution.unresolved();
      }
      return context
          .addToParent(parent -> Optional.of(new ClassDescriptor(parent.getUniqueId(), c)))
          .map(
              d ->
                  Resolution.match(
                      Match.exact(
                          d,
                          () -> {
                            Set<DiscoverySelector> children = new LinkedHashSet<>();
                            for (Method m : testMethods(c)) {
                              children.add(selectMethod(c, m));
                            }
                            return children;
                          })))
          .orElse(Resolution.unresolved());
    }

    @Override
    public Resolution resolve(MethodSelector selector, Context context) {
      Class<?> c = selector.getJavaClass();
      Method m = selector.getJavaMethod();
      if (!m.isAnnotationPresent(AsyncTest.class) || !isTestClass(c)) {
        return Resolution.unresolved();
      }
      return context
          .addToParent(
              () -> selectClass(c),
              parent -> Optional.of(new MethodDescriptor(parent.getUniqueId(), c, m)))
          .map(d -> Resolution.match(Match.exact(d)))
          .orElse(Resolution.unresolved());
    }

    @Override
    public Resolution resolve(UniqueIdSelector selector, Context context) {
      List<UniqueId.Segment> segments = selector.getUniqueId().getSegments();
      if (segments.size() < 2 || !segments.get(0).getValue().equals(ENGINE_ID)) {
        return Resolution.unresolved();
      }
      Optional<Class<?>> c =
          ReflectionSupport.tryToLoadClass(segments.get(1).getValue()).toOptional();
      if (c.isEmpty()) {
        return Resolution.unresolved();
      }
      if (segments.size() == 2) {
        return Resolution.selectors(Set.of(selectClass(c.get())));
      }
      String method = segments.get(2).getValue().replace("()", "");
      for (Method m : testMethods(c.get())) {
        if (m.getName().equals(method)) {
          return Resolution.selectors(Set.of(selectMethod(c.get(), m)));
        }
      }
      return Resolution.unresolved();
    }
  }

  /** A test class: the container of its {@code @AsyncTest} methods. */
  static final class ClassDescriptor extends AbstractTestDescriptor {
    /** The class. */
    final Class<?> testClass;

    ClassDescriptor(UniqueId parent, Class<?> testClass) {
      super(
          parent.append("class", testClass.getName()),
          displayName(testClass, testClass.getSimpleName()),
          ClassSource.from(testClass));
      this.testClass = testClass;
    }

    @Override
    public Type getType() {
      return Type.CONTAINER;
    }

    /** The class name, as Jupiter reports it: Surefire groups a class's tests of both engines. */
    @Override
    public String getLegacyReportingName() {
      return testClass.getName();
    }
  }

  /** One {@code @AsyncTest} method. */
  static final class MethodDescriptor extends AbstractTestDescriptor {
    /** The class it runs in (the selected one: the method may be inherited). */
    final Class<?> testClass;

    /** The test method. */
    final Method method;

    MethodDescriptor(UniqueId parent, Class<?> testClass, Method method) {
      super(
          parent.append("method", method.getName() + "()"),
          displayName(method, method.getName() + "()"),
          MethodSource.from(testClass, method));
      this.testClass = testClass;
      this.method = method;
    }

    @Override
    public Type getType() {
      return Type.TEST;
    }
  }
}
