package dev.coroutine.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import dev.coroutine.Async;
import dev.coroutine.AsyncFrame;
import dev.coroutine.Coroutine;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.commons.annotation.Testable;
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
import org.junit.platform.engine.TestTag;
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
 * class skips it, {@code @DisplayName} names it, {@code @Tag} tags it (for the build's tag
 * filters), Jupiter's {@code @Timeout} bounds it like {@link AsyncTest#timeout()}, a failed
 * assumption aborts it. What Jupiter offers and this engine cannot do (extensions and the
 * conditions built on them, {@code @Nested} classes, per-class instances, repeated or parameterized
 * tests) fails the test saying so, rather than being ignored.
 */
public final class AsyncTestEngine implements TestEngine {
  /** Jupiter's configuration parameter for the default test-instance lifecycle. */
  private static final String LIFECYCLE_DEFAULT = "junit.jupiter.testinstance.lifecycle.default";

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
    boolean perClassByDefault =
        request
            .getConfigurationParameters()
            .get(LIFECYCLE_DEFAULT)
            .map(v -> v.trim().equalsIgnoreCase("per_class"))
            .orElse(false);
    for (TestDescriptor c : engine.getChildren()) {
      execute((ClassDescriptor) c, listener, perClassByDefault);
    }
    listener.executionFinished(engine, TestExecutionResult.successful());
  }

  /** Runs a class's tests, and its {@code @Nested} classes' (each of which fails, saying why). */
  private static void execute(
      ClassDescriptor cd, EngineExecutionListener listener, boolean perClassByDefault) {
    String disabled = disabledReason(cd.testClass);
    if (disabled != null) {
      listener.executionSkipped(cd, disabled);
      return;
    }
    listener.executionStarted(cd);
    for (TestDescriptor child : cd.getChildren()) {
      if (child instanceof ClassDescriptor) {
        execute((ClassDescriptor) child, listener, perClassByDefault);
        continue;
      }
      MethodDescriptor md = (MethodDescriptor) child;
      String off = disabledReason(md.method);
      if (off != null) {
        listener.executionSkipped(md, off);
        continue;
      }
      listener.executionStarted(md);
      listener.executionFinished(md, execute(md, perClassByDefault));
    }
    listener.executionFinished(cd, TestExecutionResult.successful());
  }

  /** Runs one test: a new instance, its set-up, the test, its tear-down, the kit's checks. */
  private static TestExecutionResult execute(MethodDescriptor md, boolean perClassByDefault) {
    Class<?> cls = md.testClass;
    Method m = md.method;
    String name = cls.getSimpleName() + "." + m.getName() + "()";
    try {
      checkSupported(cls, m, perClassByDefault);
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
      checkLifecycleForJupiter(cls, before, after);
      checkInstrumented(m);
      for (Method x : before) {
        checkInstrumented(x);
      }
      for (Method x : after) {
        checkInstrumented(x);
      }
      Object instance = ReflectionSupport.newInstance(cls);
      AsyncTest a = m.getAnnotation(AsyncTest.class);
      TestRun run = new TestRun(name, a.virtualTime(), a.debug(), limit(cls, m));
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

  /**
   * The real-time limit: the smaller of @AsyncTest's and Jupiter's {@code @Timeout} (on the method,
   * else on the test class), else the default. It bounds set-up, test and tear-down together.
   */
  private static Duration limit(Class<?> testClass, Method m) {
    AsyncTest a = m.getAnnotation(AsyncTest.class);
    Duration limit = a.timeout() > 0 ? Duration.ofSeconds(a.timeout()) : null;
    Optional<Timeout> t = AnnotationSupport.findAnnotation(m, Timeout.class);
    if (t.isEmpty()) {
      t = AnnotationSupport.findAnnotation(testClass, Timeout.class);
    }
    if (t.isPresent()) {
      Duration jupiter = Duration.ofNanos(t.get().unit().toNanos(t.get().value()));
      limit = limit == null || jupiter.compareTo(limit) < 0 ? jupiter : limit;
    }
    return limit != null ? limit : AsyncTests.defaultTimeout();
  }

  /**
   * Refuses, naming the annotation, what Jupiter would do for such a method or class and this
   * engine cannot: an extension (and the conditions built on {@code @ExtendWith}, like
   * {@code @EnabledOnOs}), a {@code @Nested} class, {@code @TestInstance}, a second kind of test on
   * the same method. Running the test without them would pass where the user expects a skip, a mock
   * or a repetition.
   */
  private static void checkSupported(Class<?> cls, Method m, boolean perClassByDefault) {
    if (isNested(cls)) {
      throw new IllegalStateException(
          "@AsyncTest in the @Nested class "
              + cls.getName()
              + " is not supported (the kit does not build the enclosing instances): move the"
              + " test to a top-level or static nested class");
    }
    for (Class<? extends java.lang.annotation.Annotation> other :
        List.of(Test.class, RepeatedTest.class, TestFactory.class, TestTemplate.class)) {
      if (AnnotationSupport.isAnnotated(m, other)) {
        throw new IllegalStateException(
            "@AsyncTest method "
                + where(m)
                + " is also @"
                + other.getSimpleName()
                + ", which the kit does not run: an async test runs once; repeat it in a loop in"
                + " its body");
      }
    }
    for (AnnotatedElement e : List.<AnnotatedElement>of(m, cls)) {
      if (AnnotationSupport.isAnnotated(e, ExtendWith.class)) {
        throw new IllegalStateException(
            (e == m ? "@AsyncTest method " + where(m) : "the class of @AsyncTest " + where(m))
                + " uses a Jupiter extension ("
                + extensionAnnotations(e)
                + "), which the kit does not run (nor the conditions built on extensions, like"
                + " @EnabledOnOs): put the @AsyncTest methods in a class of their own, and use"
                + " Assumptions in the test instead of conditions");
      }
    }
    if (!AnnotationSupport.findAnnotatedFields(cls, RegisterExtension.class, f -> true).isEmpty()) {
      throw new IllegalStateException(
          "the class of @AsyncTest "
              + where(m)
              + " registers a Jupiter extension (@RegisterExtension), which the kit does not run:"
              + " put the @AsyncTest methods in a class of their own");
    }
    Optional<TestInstance> lifecycle = AnnotationSupport.findAnnotation(cls, TestInstance.class);
    if (lifecycle
        .map(t -> t.value() == TestInstance.Lifecycle.PER_CLASS)
        .orElse(perClassByDefault)) {
      throw new IllegalStateException(
          "the class of @AsyncTest "
              + where(m)
              + (lifecycle.isPresent()
                  ? " is @TestInstance(PER_CLASS)"
                  : " has one instance per class by default (" + LIFECYCLE_DEFAULT + ")")
              + ": the kit makes a new instance for each async test; put the @AsyncTest methods in"
              + " a class of their own"
              + (lifecycle.isPresent() ? "" : " annotated @TestInstance(PER_METHOD)"));
    }
  }

  private static String extensionAnnotations(AnnotatedElement e) {
    List<String> names = new ArrayList<>();
    for (java.lang.annotation.Annotation a : e.getAnnotations()) {
      if (a instanceof ExtendWith
          || AnnotationSupport.isAnnotated(a.annotationType(), ExtendWith.class)) {
        names.add("@" + a.annotationType().getSimpleName());
      }
    }
    return String.join(", ", names);
  }

  /**
   * Refuses an async {@code @BeforeEach}/{@code @AfterEach} in a class that also has Jupiter
   * {@code @Test} methods: Jupiter rejects a lifecycle method that returns a value (a discovery
   * error for the whole class, in recent versions for the whole run), so the class cannot work for
   * both engines.
   */
  private static void checkLifecycleForJupiter(
      Class<?> cls, List<Method> before, List<Method> after) {
    boolean jupiterTests =
        AnnotationSupport.findAnnotatedMethods(cls, Testable.class, HierarchyTraversalMode.TOP_DOWN)
            .stream()
            .anyMatch(x -> !x.isAnnotationPresent(AsyncTest.class)); // @Test, @ParameterizedTest..
    if (!jupiterTests) {
      return;
    }
    for (List<Method> ms : List.of(before, after)) {
      for (Method x : ms) {
        if (x.getReturnType() != void.class) {
          throw new IllegalStateException(
              where(x)
                  + " is an async @BeforeEach/@AfterEach in a class that also has Jupiter @Test"
                  + " methods, and Jupiter refuses lifecycle methods that return a value (for"
                  + " the @Test methods, and in recent versions for the whole test run): move"
                  + " the @AsyncTest methods and their async set-up to a class of their own");
        }
      }
    }
  }

  /**
   * Refuses an {@code @Async} method whose class was not rewritten, before it runs: a rewritten
   * class has the method's body beside it (a static method of the same name, or that name and a
   * number, taking the {@link AsyncFrame}: the protocol's layout). Without this the first sign is
   * whatever the method calls first ("no running event loop", a test-kit call refusing).
   */
  private static void checkInstrumented(Method m) {
    if (!m.isAnnotationPresent(Async.class)) {
      return;
    }
    boolean hasBody =
        Arrays.stream(m.getDeclaringClass().getDeclaredMethods())
            .anyMatch(
                b ->
                    Modifier.isStatic(b.getModifiers())
                        && b.getParameterCount() == 1
                        && b.getParameterTypes()[0] == AsyncFrame.class
                        && (b.getName().equals(m.getName())
                            || b.getName().startsWith(m.getName() + "$")));
    if (!hasBody) {
      throw new IllegalStateException(
          "@Async method "
              + where(m)
              + " was not instrumented: its class was compiled but not rewritten. Build the tests"
              + " with the coroutine-maven-plugin's instrument-tests goal (or the javac plugin),"
              + " or run them with -javaagent:coroutine-agent.jar (Surefire's argLine)");
    }
  }

  private static boolean isNested(Class<?> c) {
    return c.getEnclosingClass() != null
        && !Modifier.isStatic(c.getModifiers())
        && c.isAnnotationPresent(Nested.class);
  }

  /** The tags of {@code e} ({@code @Tag}, repeatable), for the build's tag filters. */
  static Set<TestTag> tags(AnnotatedElement e) {
    Set<TestTag> tags = new LinkedHashSet<>();
    for (Tag t : AnnotationSupport.findRepeatableAnnotations(e, Tag.class)) {
      if (TestTag.isValid(t.value())) {
        tags.add(TestTag.create(t.value()));
      }
    }
    return tags;
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
        && (c.getEnclosingClass() == null || Modifier.isStatic(mod) || isNested(c))
        && !testMethods(c).isEmpty();
  }

  /** True if {@code c}, or a {@code @Nested} class inside it at any depth, has async tests. */
  private static boolean holdsTests(Class<?> c) {
    return isTestClass(c) || !nestedHoldingTests(c).isEmpty();
  }

  /** The {@code @Nested} classes directly inside {@code c} that hold async tests. */
  private static List<Class<?>> nestedHoldingTests(Class<?> c) {
    List<Class<?>> found = new ArrayList<>();
    for (Class<?> n : c.getDeclaredClasses()) {
      if (isNested(n) && holdsTests(n)) {
        found.add(n);
      }
    }
    return found;
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
      boolean member = c.getEnclosingClass() == null || Modifier.isStatic(c.getModifiers());
      if (!(member || isNested(c)) || !holdsTests(c)) {
        return Resolution.unresolved();
      }
      // Jupiter finds @Nested classes through their outer class, and so does this engine (to say
      // their async tests cannot run instead of passing over them): a nested class's descriptor
      // is always under its outer class's, whichever selects it (a rerun by unique id included)
      Function<TestDescriptor, Optional<ClassDescriptor>> descriptor =
          parent -> Optional.of(new ClassDescriptor(parent.getUniqueId(), c));
      Optional<ClassDescriptor> found =
          isNested(c)
              ? context.addToParent(() -> selectClass(c.getEnclosingClass()), descriptor)
              : context.addToParent(descriptor);
      return found
          .map(
              d ->
                  Resolution.match(
                      Match.exact(
                          d,
                          () -> {
                            Set<DiscoverySelector> children = new LinkedHashSet<>();
                            if (isTestClass(c)) {
                              for (Method m : testMethods(c)) {
                                children.add(selectMethod(c, m));
                              }
                            }
                            for (Class<?> n : nestedHoldingTests(c)) {
                              children.add(selectClass(n));
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
      UniqueId.Segment last = segments.get(segments.size() - 1);
      boolean isMethod = last.getType().equals("method");
      UniqueId.Segment classSegment = segments.get(segments.size() - (isMethod ? 2 : 1));
      Optional<Class<?>> c = ReflectionSupport.tryToLoadClass(classSegment.getValue()).toOptional();
      if (c.isEmpty()) {
        return Resolution.unresolved();
      }
      if (!isMethod) {
        return Resolution.selectors(Set.of(selectClass(c.get())));
      }
      String method = last.getValue().replace("()", "");
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

    @Override
    public Set<TestTag> getTags() {
      return tags(testClass);
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

    @Override
    public Set<TestTag> getTags() {
      Set<TestTag> all = new LinkedHashSet<>(tags(testClass)); // a class's tags are its tests'
      all.addAll(tags(method));
      return all;
    }
  }
}
