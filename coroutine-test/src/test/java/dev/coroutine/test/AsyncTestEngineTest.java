package dev.coroutine.test;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.createTask;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.getRunningLoop;
import static dev.coroutine.Coroutines.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.coroutine.Async;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Emitter;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.launcher.TagFilter;

/**
 * The engine, seen from outside: fixture classes (static nested, so Surefire does not run them
 * itself) go through the JUnit Platform launcher and the test looks at what was reported.
 */
class AsyncTestEngineTest {

  /** What the lifecycle fixture's methods did, in order. */
  static final List<String> EVENTS = Collections.synchronizedList(new ArrayList<>());

  static class Outcomes {
    @AsyncTest
    @Async
    Coroutine<Void> passes() {
      await(sleep(Duration.ofHours(1)));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> failsAnAssertion() {
      await(sleep(10));
      assertThat(1 + 1).as("arithmetic").isEqualTo(3);
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> throwsAChecked() throws IOException {
      await(sleep(10));
      throw new IOException("disk on fire");
    }

    @AsyncTest
    @Async
    Coroutine<Void> leavesATaskPending() {
      createTask(forgotten(), "forgotten-sleeper");
      await(sleep(1));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> neverRetrievesAChildsException() {
      createTask(failsSoon(), "careless-child");
      await(sleep(Duration.ofSeconds(5))); // the child fails after 1 s; nobody looks
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> backgroundTaskIsCancelled_notReported() {
      AsyncTests.backgroundTask(forgotten());
      await(sleep(1));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> hasACallbackThatThrows() {
      getRunningLoop()
          .callSoon(
              () -> {
                throw new IllegalStateException("callback failed");
              });
      await(sleep(1));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> hasABackgroundTaskThatFails() {
      AsyncTests.backgroundTask(failsSoon());
      await(sleep(Duration.ofSeconds(2)));
      return done();
    }

    @AsyncTest
    void notACoroutine() {}

    @AsyncTest
    @Async
    Coroutine<Void> abortsOnAnAssumption() {
      Assumptions.assumeTrue(false, "not on this machine");
      return done();
    }

    @Disabled("shows @Disabled")
    @AsyncTest
    @Async
    Coroutine<Void> disabled() {
      throw new AssertionError("a disabled test ran");
    }

    @DisplayName("a named test")
    @AsyncTest
    @Async
    Coroutine<Void> named() {
      return done();
    }
  }

  static class CleanupRounds {
    static AsyncIterator<Integer> kept;

    @AsyncTest
    @Async
    Coroutine<Void> backgroundTaskWhoseFinallyStartsAnother() {
      AsyncTests.backgroundTask(startsAnotherWhenCancelled());
      await(sleep(1));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> leavesAnAsyncGeneratorSuspended() {
      AsyncIterator<Integer> it = Coroutines.generate(AsyncTestEngineTest::numbers).iterator();
      await(it.hasNext());
      it.next(); // the producer is suspended at its first emit now
      kept = it; // nothing closes it
      return done();
    }

    @AsyncTest(virtualTime = false)
    @Async
    Coroutine<Void> executorJobSubmitsACoroutineAsTheTestEnds() {
      EventLoop loop = getRunningLoop();
      loop.runInExecutor(
          () -> {
            Thread.sleep(300); // the kit waits for the job once the test has ended
            return Coroutines.runCoroutineThreadsafe(sleeper("submitted by a job"), loop);
          });
      return done();
    }
  }

  static class EndlessCleanup {
    @AsyncTest
    @Async
    Coroutine<Void> backgroundTaskWhoseFinallyStartsAnotherForEver() {
      AsyncTests.backgroundTask(respawns());
      await(sleep(1));
      return done();
    }

    @AsyncTest(timeout = 1)
    @Async
    Coroutine<Void> backgroundTaskThatSwallowsItsCancellation() {
      AsyncTests.backgroundTask(stubborn());
      await(sleep(1));
      return done();
    }
  }

  @Async
  static Coroutine<Void> stubborn() {
    while (true) {
      try {
        await(sleep(1000));
      } catch (java.util.concurrent.CancellationException swallowed) {
        // and on
      }
    }
  }

  @Async
  static Coroutine<Void> respawns() {
    try {
      await(sleep(Duration.ofDays(1)));
    } finally {
      createTask(respawns());
    }
    return done();
  }

  @Test
  void cleanup_thatNeverEnds_failsTheTestOnce_afterTheRounds() {
    EngineRuns runs = EngineRuns.of(EndlessCleanup.class);

    Throwable f = runs.failure("backgroundTaskWhoseFinallyStartsAnotherForEver()");
    assertThat(f)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("still pending after 16 rounds of cancellation");
    assertThat(f.getSuppressed()).isEmpty();

    // the real-time limit ends a clean-up that never does; the stop that cut it short is not a
    // second failure (it was reported as one, suppressed)
    Throwable t = runs.failure("backgroundTaskThatSwallowsItsCancellation()");
    assertThat(t).hasMessageContaining("did not finish within its real-time limit of 1 s");
    assertThat(t.getSuppressed()).isEmpty();
  }

  @Async
  static Coroutine<Void> numbers(Emitter<Integer> out) {
    try {
      for (int i = 0; ; i++) {
        await(out.emit(i));
      }
    } finally {
      EVENTS.add("generator: finally");
    }
  }

  @Async
  static Coroutine<Void> startsAnotherWhenCancelled() {
    try {
      await(sleep(Duration.ofDays(1)));
    } finally {
      createTask(sleeper("made by cleanup"));
      await(sleep(0)); // it starts
    }
    return done();
  }

  @Async
  static Coroutine<Void> sleeper(String name) {
    EVENTS.add(name + ": started");
    try {
      await(sleep(Duration.ofDays(1)));
    } finally {
      EVENTS.add(name + ": finally");
    }
    return done();
  }

  @Test
  void cleanup_tasksStartedByCleanupOrAJobAtTheEnd_areCancelled_generatorsClosed() {
    EVENTS.clear();
    EngineRuns runs = EngineRuns.of(CleanupRounds.class);

    assertThat(runs.status("backgroundTaskWhoseFinallyStartsAnother()"))
        .isEqualTo(Status.SUCCESSFUL);
    assertThat(runs.status("executorJobSubmitsACoroutineAsTheTestEnds()"))
        .isEqualTo(Status.SUCCESSFUL);
    assertThat(runs.status("leavesAnAsyncGeneratorSuspended()")).isEqualTo(Status.SUCCESSFUL);
    assertThat(EVENTS)
        .containsExactlyInAnyOrder(
            "made by cleanup: started",
            "made by cleanup: finally",
            "submitted by a job: started",
            "submitted by a job: finally",
            "generator: finally");
  }

  @Async
  static Coroutine<Void> forgotten() {
    try {
      await(sleep(Duration.ofDays(1)));
    } finally {
      EVENTS.add("forgotten: finally");
    }
    return done();
  }

  @Async
  static Coroutine<Void> failsSoon() {
    await(sleep(Duration.ofSeconds(1)));
    throw new IllegalStateException("child failed");
  }

  @Test
  void outcomes_eachTestReportsWhatItsCoroutineAndItsLoopDid() {
    EVENTS.clear();
    EngineRuns runs = EngineRuns.of(Outcomes.class);

    assertThat(runs.status("passes()")).isEqualTo(Status.SUCCESSFUL);
    assertThat(runs.status("a named test")).isEqualTo(Status.SUCCESSFUL);
    assertThat(runs.failure("failsAnAssertion()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("[arithmetic]");
    assertThat(runs.failure("throwsAChecked()"))
        .isInstanceOf(IOException.class)
        .hasMessage("disk on fire");

    assertThat(runs.failure("leavesATaskPending()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("1 task was still pending when Outcomes.leavesATaskPending() ended")
        .hasMessageContaining("AsyncTests.backgroundTask")
        .hasMessageContaining("@AsyncTest(debug = true) adds where each was created")
        .hasMessageContaining("\"forgotten-sleeper\" sleeping until 86400.000 s")
        .hasMessageContaining("AsyncTestEngineTest.forgotten(AsyncTestEngineTest.java:");

    assertThat(runs.failure("neverRetrievesAChildsException()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the event loop reported an error")
        .hasMessageContaining("exception was never retrieved")
        .hasMessageContaining("careless-child")
        .cause()
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("child failed");

    assertThat(runs.failure("hasACallbackThatThrows()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("the event loop reported an error")
        .hasMessageContaining("Exception in callback")
        .cause()
        .hasMessage("callback failed");
    assertThat(runs.failure("hasABackgroundTaskThatFails()"))
        .hasMessageContaining("exception was never retrieved")
        .cause()
        .hasMessage("child failed");

    assertThat(runs.status("backgroundTaskIsCancelled_notReported()")).isEqualTo(Status.SUCCESSFUL);
    // the pending task's finally ran too: the kit cancels what is left and lets it clean up
    assertThat(EVENTS).containsExactly("forgotten: finally", "forgotten: finally");

    assertThat(runs.failure("notACoroutine()"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@AsyncTest method " + Outcomes.class.getName() + ".notACoroutine()")
        .hasMessageContaining("must take no parameters and return Coroutine<T>");

    assertThat(runs.status("abortsOnAnAssumption()")).isEqualTo(Status.ABORTED);
    assertThat(runs.skipped).containsEntry("disabled()", "shows @Disabled");
    assertThat(runs.results).doesNotContainKey("disabled()");
  }

  static class Limits {
    @AsyncTest(timeout = 1)
    @Async
    Coroutine<Void> waitsForAFutureNobodyCompletes() {
      Future<String> never = getRunningLoop().createFuture();
      await(never); // virtual clock, no timer left: the loop waits for real, the limit catches it
      return done();
    }

    @AsyncTest(timeout = 1)
    @Async
    Coroutine<Void> blocksTheLoopThread() throws InterruptedException {
      await(sleep(1));
      Thread.sleep(600_000); // a blocking call in a coroutine: the interrupt ends it
      return done();
    }

    @AsyncTest(timeout = 1)
    @Async
    Coroutine<Void> reArmsATimerForEver() {
      createTask(forEver(), "ticker");
      await(TestTime.advanceUntilIdle());
      return done();
    }
  }

  @Async
  static Coroutine<Void> forEver() {
    while (true) {
      await(sleep(Duration.ofSeconds(1)));
    }
  }

  @Test
  void realTimeLimit_failsWithATaskDump_insteadOfHanging() {
    EngineRuns runs = EngineRuns.of(Limits.class);

    assertThat(runs.failure("waitsForAFutureNobodyCompletes()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining(
            "Limits.waitsForAFutureNobodyCompletes() did not finish within its real-time limit of 1 s")
        .hasMessageContaining("\"test Limits.waitsForAFutureNobodyCompletes()\" waiting on Future")
        .hasMessageContaining("AsyncTestEngineTest.java:");

    assertThat(runs.failure("blocksTheLoopThread()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not finish within its real-time limit of 1 s")
        .hasMessageContaining("[unsynchronized snapshot: the loop did not answer]")
        .hasMessageContaining("java.lang.Thread.sleep");

    assertThat(runs.failure("reArmsATimerForEver()"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("did not finish within its real-time limit of 1 s")
        .hasMessageContaining("\"ticker\" ")
        .hasMessageContaining("(virtual)");
  }

  static class TimeOutWithCleanUp {
    @AsyncTest(timeout = 1)
    @Async
    Coroutine<Void> hangsInsideTryFinally() {
      try {
        await(getRunningLoop().createFuture()); // never completed
      } finally {
        EVENTS.add("body finally");
      }
      return done();
    }

    @AfterEach
    @Async
    Coroutine<Void> tearDown() {
      await(sleep(1));
      EVENTS.add("tear-down");
      throw new IllegalStateException("tear-down failed too");
    }
  }

  @Test
  void aTestPastItsLimit_isCancelled_soItsFinallyBlocksAndTearDownRun() {
    // as kotlinx's runTest cancels its body at the time-out and JUnit runs @AfterEach after a
    // @Timeout: what set-up opened must not leak into the next test (found from outside)
    EVENTS.clear();
    Throwable f = EngineRuns.of(TimeOutWithCleanUp.class).failure("hangsInsideTryFinally()");
    assertThat(f).hasMessageContaining("did not finish within its real-time limit of 1 s");
    assertThat(f.getSuppressed())
        .singleElement()
        .satisfies(t -> assertThat(t).hasMessage("tear-down failed too"));
    assertThat(EVENTS).containsExactly("body finally", "tear-down");
  }

  static class IgnoresCancellation {
    @AsyncTest(timeout = 1)
    @Async
    @dev.coroutine.CatchesCancellation
    Coroutine<Void> hasATaskThatWillNotStop() {
      createTask(spinsForEver(), "stubborn");
      await(getRunningLoop().createFuture()); // never completed
      return done();
    }

    @AfterEach
    void tearDown() {
      EVENTS.add("stubborn tear-down");
    }
  }

  @Async
  @dev.coroutine.CatchesCancellation
  static Coroutine<Void> spinsForEver() {
    while (true) {
      try {
        await(sleep(1)); // virtual time: the loop spins through these as fast as it can
      } catch (java.util.concurrent.CancellationException ignored) {
        // asyncio lets a task do this; the kit must not wait for it for ever
      }
    }
  }

  @Test
  void aCleanUpPastTheLimitThatWillNotEnd_isCutShort_andItsThreadEnds() throws Exception {
    // the cancellation after the time-out must itself be bounded: a task that ignores it kept the
    // loop thread spinning for the rest of the run (found by a review)
    EVENTS.clear();
    Throwable f = EngineRuns.of(IgnoresCancellation.class).failure("hasATaskThatWillNotStop()");
    assertThat(f)
        .hasMessageContaining("did not finish within its real-time limit of 1 s")
        .hasMessageContaining("cancelling its tasks and tearing down were cut short");
    assertThat(EVENTS).doesNotContain("stubborn tear-down");
    String thread = "coroutine-test IgnoresCancellation.hasATaskThatWillNotStop()";
    for (int i = 0; i < 100 && threadNamed(thread); i++) {
      Thread.sleep(20);
    }
    assertThat(threadNamed(thread)).as("the test's loop thread is gone").isFalse();
  }

  private static boolean threadNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name));
  }

  static class AbortThenTearDownFails {
    @AsyncTest
    @Async
    Coroutine<Void> abortsAfterAnAwait() {
      await(sleep(1));
      Assumptions.assumeTrue(false, "not here");
      return done();
    }

    @AfterEach
    void tearDown() {
      throw new IllegalStateException("tear-down failed");
    }
  }

  @Test
  void aFailureAfterAnAbortedAssumption_failsTheTest() {
    // Jupiter (its ThrowableCollector) and unittest report such a test failed, not skipped: the
    // abort was kept as the primary outcome and hid the failure (found from outside)
    EngineRuns runs = EngineRuns.of(AbortThenTearDownFails.class);
    assertThat(runs.status("abortsAfterAnAwait()")).isEqualTo(Status.FAILED);
    assertThat(runs.failure("abortsAfterAnAwait()")).hasMessage("tear-down failed");
    assertThat(runs.failure("abortsAfterAnAwait()").getSuppressed())
        .singleElement()
        .satisfies(t -> assertThat(t).hasMessageContaining("not here"));
  }

  static class Unsupported {
    @Nested
    class Inner {
      @AsyncTest
      @Async
      Coroutine<Void> inANestedClass() {
        throw new AssertionError("ran without its enclosing instance's set-up");
      }
    }

    @AsyncTest
    @Async
    @EnabledOnOs(OS.WINDOWS)
    Coroutine<Void> withACondition() {
      throw new AssertionError("a condition was ignored");
    }

    @AsyncTest
    @RepeatedTest(3)
    @Async
    Coroutine<Void> repeated() {
      return done();
    }

    @AsyncTest
    @Async
    @Tag("slow")
    Coroutine<Void> tagged() {
      return done();
    }

    @AsyncTest
    @Async
    @Timeout(value = 500, unit = TimeUnit.MILLISECONDS)
    Coroutine<Void> boundedByJupitersTimeout() {
      await(getRunningLoop().createFuture()); // never completed
      return done();
    }
  }

  static class RegistersAnExtension {
    @RegisterExtension
    static final org.junit.jupiter.api.extension.BeforeEachCallback CALLBACK =
        context -> EVENTS.add("extension called");

    @AsyncTest
    @Async
    Coroutine<Void> test() {
      return done();
    }
  }

  static class PlainLifecycle {
    @AsyncTest
    @Async
    Coroutine<Void> test() {
      return done();
    }
  }

  @Test
  void whatJupiterWouldDoAndTheKitCannot_failsSayingSo_insteadOfBeingIgnored() {
    // each was ignored in silence: a @Nested class's async tests never ran, conditions, @Timeout,
    // @RepeatedTest and tags had no effect (found from outside)
    EngineRuns runs = EngineRuns.of(Unsupported.class);
    assertThat(runs.failure("inANestedClass()"))
        .hasMessageContaining(
            "@AsyncTest in the @Nested class " + Unsupported.Inner.class.getName())
        .hasMessageContaining("move the test to a top-level or static nested class");
    assertThat(runs.failure("withACondition()"))
        .hasMessageContaining("uses a Jupiter extension (@EnabledOnOs)")
        .hasMessageContaining("use Assumptions in the test instead of conditions");
    assertThat(runs.failure("repeated()")).hasMessageContaining("is also @RepeatedTest");
    assertThat(runs.failure("boundedByJupitersTimeout()"))
        .hasMessageContaining("did not finish within its real-time limit of 500 ms");
    assertThat(runs.status("tagged()")).isEqualTo(Status.SUCCESSFUL);
    // a nested class's test keeps its unique id when selected by it (an IDE's rerun)
    String nestedId =
        "[engine:coroutine-test]/[class:"
            + Unsupported.class.getName()
            + "]/[class:"
            + Unsupported.Inner.class.getName()
            + "]/[method:inANestedClass()]";
    assertThat(runs.ids).contains(nestedId);
    assertThat(EngineRuns.of(selectUniqueId(nestedId)).ids).containsExactly(nestedId);
    assertThat(EngineRuns.of(RegistersAnExtension.class).failure("test()"))
        .hasMessageContaining("registers a Jupiter extension (@RegisterExtension)");
    assertThat(
            EngineRuns.configured(
                    Map.of("junit.jupiter.testinstance.lifecycle.default", "per_class"),
                    List.of(),
                    selectClass(PlainLifecycle.class))
                .failure("test()"))
        .hasMessageContaining("has one instance per class by default");

    EngineRuns notSlow =
        EngineRuns.filtered(List.of(TagFilter.excludeTags("slow")), selectClass(Unsupported.class));
    assertThat(notSlow.results).doesNotContainKey("tagged()").containsKey("repeated()");
    EngineRuns slowOnly =
        EngineRuns.filtered(List.of(TagFilter.includeTags("slow")), selectClass(Unsupported.class));
    assertThat(slowOnly.results).containsOnlyKeys("tagged()");
  }

  static class MixedWithAsyncSetUp {
    @BeforeEach
    @Async
    Coroutine<Void> setUp() {
      await(sleep(1));
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> asyncTest() {
      return done();
    }

    @Test
    void jupiterTest() {}
  }

  @Test
  void anAsyncSetUp_inAClassJupiterAlsoRuns_isRefusedSayingWhy() {
    // Jupiter refuses a @BeforeEach that returns a value; 5.14 fails the whole run at discovery
    assertThat(EngineRuns.of(MixedWithAsyncSetUp.class).failure("asyncTest()"))
        .hasMessageContaining(
            "MixedWithAsyncSetUp.setUp() is an async @BeforeEach/@AfterEach in a"
                + " class that also has Jupiter @Test methods")
        .hasMessageContaining("to a class of their own");
  }

  @Test
  void aTestClassThatWasNotRewritten_isRefusedSayingHowToInstrumentIt(@TempDir Path dir)
      throws Exception {
    // its first call failed with "no running event loop" or a kit call refusing, far from the
    // cause (found from outside). Defined as a hidden class, which no agent sees: these tests may
    // run with the agent, which would rewrite any other class
    Path src = dir.resolve("NotRewritten.java");
    Files.writeString(
        src,
        "package dev.coroutine.test;\n"
            + "import dev.coroutine.*;\n"
            + "public class NotRewritten {\n"
            + "  @AsyncTest @Async public Coroutine<Void> t() {\n"
            + "    TestTime.currentTime();\n"
            + "    Coroutines.await(Coroutines.sleep(1));\n"
            + "    return Coroutines.done();\n"
            + "  }\n"
            + "}\n");
    String cp = location(Coroutine.class) + java.io.File.pathSeparator + location(AsyncTest.class);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-cp", cp, "-d", dir.toString(), src.toString());
    assertThat(rc).isZero();
    byte[] bytes = Files.readAllBytes(dir.resolve("dev/coroutine/test/NotRewritten.class"));
    Class<?> c = MethodHandles.lookup().defineHiddenClass(bytes, true).lookupClass();
    assertThat(EngineRuns.of(selectClass(c)).failure("t()"))
        .hasMessageContaining("@Async method dev.coroutine.test.NotRewritten")
        .hasMessageContaining("was not instrumented")
        .hasMessageContaining("instrument-tests")
        .hasMessageContaining("-javaagent");
  }

  private static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** A superclass: its set-up runs before the subclass's (Jupiter's order). */
  abstract static class LifecycleBase {
    @BeforeEach
    void syncSetUp() {
      EVENTS.add("sync set-up");
    }
  }

  static class Lifecycle extends LifecycleBase {
    @BeforeEach
    @Async
    Coroutine<Void> asyncSetUp() {
      await(sleep(Duration.ofMinutes(1)));
      EVENTS.add("async set-up at " + TestTime.currentTime().toSeconds() + " s");
      return done();
    }

    @AsyncTest
    @Async
    Coroutine<Void> test() {
      EVENTS.add("test at " + TestTime.currentTime().toSeconds() + " s");
      return done();
    }

    @AfterEach
    @Async
    Coroutine<Void> asyncTearDown() {
      await(sleep(Duration.ofMinutes(1)));
      EVENTS.add("async tear-down at " + TestTime.currentTime().toSeconds() + " s");
      return done();
    }
  }

  static class FailingSetUp {
    @BeforeEach
    @Async
    Coroutine<Void> setUp() {
      await(sleep(1));
      throw new IllegalStateException("set-up failed");
    }

    @AsyncTest
    @Async
    Coroutine<Void> test() {
      EVENTS.add("test body ran");
      return done();
    }

    @AfterEach
    void tearDown() {
      EVENTS.add("tear-down ran");
    }
  }

  static class ClockInASyncSetUp {
    @BeforeEach
    void setUp() {
      TestTime.currentTime(); // the loop does not run during a synchronous set-up
    }

    @AsyncTest
    @Async
    Coroutine<Void> test() {
      return done();
    }
  }

  @Test
  void testClockInASynchronousSetUp_isRefused_sayingWhereItWorks() {
    assertThat(EngineRuns.of(ClockInASyncSetUp.class).failure("test()"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("currentTime() works only inside a test of the test kit")
        .hasMessageContaining("while its loop runs");
  }

  @Test
  void beforeAndAfterEach_runOnTheTestsLoop_andTearDownRunsAfterAFailedSetUp() {
    EVENTS.clear();
    assertThat(EngineRuns.of(Lifecycle.class).status("test()")).isEqualTo(Status.SUCCESSFUL);
    assertThat(EVENTS)
        .containsExactly(
            "sync set-up", "async set-up at 60 s", "test at 60 s", "async tear-down at 120 s");

    EVENTS.clear();
    assertThat(EngineRuns.of(FailingSetUp.class).failure("test()")).hasMessage("set-up failed");
    assertThat(EVENTS).containsExactly("tear-down ran");
  }

  @Test
  void methodAndUniqueIdSelectors_runJustThatTest() throws Exception {
    EngineRuns one =
        EngineRuns.of(selectMethod(Outcomes.class, Outcomes.class.getDeclaredMethod("passes")));
    assertThat(one.results).containsOnlyKeys("passes()");
    assertThat(one.ids)
        .containsExactly(
            "[engine:coroutine-test]/[class:" + Outcomes.class.getName() + "]/[method:passes()]");

    EngineRuns again = EngineRuns.of(selectUniqueId(one.ids.get(0)));
    assertThat(again.results).containsOnlyKeys("passes()");
  }

  @Test
  void classesWithoutAsyncTests_areNotTheEnginesBusiness() {
    assertThat(EngineRuns.of(AsyncTestEngineTest.class).results).isEmpty();
    assertThat(AsyncTestEngine.isTestClass(Outcomes.class)).isTrue();
    assertThat(AsyncTestEngine.isTestClass(AsyncTestEngineTest.class)).isFalse();
  }
}
