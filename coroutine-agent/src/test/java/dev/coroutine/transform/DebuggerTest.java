package dev.coroutine.transform;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.event.BreakpointEvent;
import com.sun.jdi.event.ClassPrepareEvent;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.StepEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.BreakpointRequest;
import com.sun.jdi.request.ClassPrepareRequest;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.StepRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a debugger sees of rewritten code, through JDI against a real JVM started with {@code
 * -agentlib:jdwp} on the rewritten {@code debuggee.Debuggee}: breakpoints stop when the body runs
 * the line (not when the coroutine is created), locals read after a resume hold the right values,
 * and a variable not restored by the resume is not shown at all.
 */
class DebuggerTest {
  static final String DEBUGGEE = "debuggee.Debuggee";
  static final String SOURCE = "../../../../debuggee/Debuggee.java"; // from the samples folder
  static final String BODY_SIGNATURE = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";

  /** The longest a debuggee session may take before the watchdog kills it. */
  static final long SESSION_SECONDS = 60;

  @TempDir Path classes;

  /** One stop of the debuggee: where, and the locals the debugger shows there. */
  record Stop(
      int line, String method, String signature, boolean created, Map<String, Object> locals) {}

  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void breakpointsInAnAsyncMethod_stopWhenTheBodyRuns_withTheLocalsItHoldsAcrossAwaits()
      throws Exception {
    int first = line("first");
    int beforeAwait = line("beforeAwait");
    int await = line("await");
    int afterAwait = line("afterAwait");
    int last = line("last");
    List<Stop> stops = new ArrayList<>();
    Map<Integer, Integer> locationsPerLine = new LinkedHashMap<>();
    String output =
        debug(
            (type, vm) -> {
              for (int line : new int[] {first, beforeAwait, await, afterAwait, last}) {
                List<Location> at = locationsOfLine(type, line);
                locationsPerLine.put(line, at.size());
                for (Location l : at) {
                  BreakpointRequest r = vm.eventRequestManager().createBreakpointRequest(l);
                  r.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
                  r.enable();
                }
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                stops.add(stop((BreakpointEvent) event));
              }
            });
    assertThat(output).contains("result 38");
    // each line is in the body once: the stub has no line, the resume path none of its own
    assertThat(locationsPerLine).containsOnlyKeys(first, beforeAwait, await, afterAwait, last);
    assertThat(locationsPerLine.values()).containsOnly(1);
    assertThat(stops)
        .extracting(Stop::line)
        .containsExactly(first, beforeAwait, await, afterAwait, last);
    for (Stop s : stops) {
      assertThat(s.method()).as("method at line " + s.line()).isEqualTo("compute");
      assertThat(s.signature()).as("the body, at line " + s.line()).isEqualTo(BODY_SIGNATURE);
      assertThat(s.created()).as("coroutine created before line " + s.line() + " ran").isTrue();
    }
    assertThat(stops.get(0).locals()).isEqualTo(Map.of("n", 3));
    assertThat(stops.get(1).locals()).isEqualTo(Map.of("n", 3, "before", 30, "scratch", 21));
    assertThat(stops.get(2).locals())
        .isEqualTo(Map.of("n", 3, "before", 30, "scratch", 21, "label", "s21"));
    // after the resume: what the await kept, with its values; scratch was not kept, so not shown
    assertThat(stops.get(3).locals()).isEqualTo(Map.of("n", 3, "before", 30, "label", "s21"));
    assertThat(stops.get(4).locals()).isEqualTo(Map.of("after", 33, "text", "s2133"));
  }

  /**
   * Stepping across an await that suspends: the body returns to the event loop, so no debugger can
   * "step over" it within the method. With the runtime filtered out of stepping (the step filters
   * docs/debugging.md recommends), repeated steps into go: the save code (no line of its own: shown
   * at the method's first line, without locals), the next user code the loop runs, here the same
   * body as it resumes (its entry, the same), then the await's line with the locals the resume
   * restored, then the line after it.
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void stepIntoFromASuspendingAwait_runtimeFiltered_reachesTheResumedBodyWithItsLocals()
      throws Exception {
    int first = line("first");
    int await = line("await");
    int afterAwait = line("afterAwait");
    List<Stop> steps = new ArrayList<>();
    String output =
        debug(
            (type, vm) -> {
              for (Location l : locationsOfLine(type, await)) {
                vm.eventRequestManager().createBreakpointRequest(l).enable();
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                step((BreakpointEvent) event, StepRequest.STEP_INTO);
              } else if (event instanceof StepEvent) {
                StepEvent e = (StepEvent) event;
                e.virtualMachine().eventRequestManager().deleteEventRequest(e.request());
                steps.add(stopAt(e.thread().frame(0), e.location()));
                if (steps.size() < 4) {
                  step(e, StepRequest.STEP_INTO);
                }
              }
            });
    assertThat(output).contains("result 38");
    assertThat(steps).extracting(Stop::signature).containsOnly(BODY_SIGNATURE);
    assertThat(steps).extracting(Stop::line).containsExactly(first, first, await, afterAwait);
    Map<String, Object> kept = Map.of("n", 3, "before", 30, "label", "s21");
    assertThat(steps).extracting(Stop::locals).containsExactly(Map.of(), Map.of(), kept, kept);
  }

  /**
   * Stepping over an await that suspends, without step filters: the first step stops in the save
   * code, which belongs to no line (so the method's first line, without locals), the next leaves
   * the body for its caller, the lambda proxy with no source: what docs/debugging.md says.
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void stepOverASuspendingAwait_unfiltered_stopsInTheSaveCodeThenLeavesTheBody() throws Exception {
    int first = line("first");
    int await = line("await");
    List<String> steps = new ArrayList<>();
    List<Map<String, Object>> bodyLocals = new ArrayList<>();
    String output =
        debug(
            (type, vm) -> {
              for (Location l : locationsOfLine(type, await)) {
                vm.eventRequestManager().createBreakpointRequest(l).enable();
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                step((BreakpointEvent) event, StepRequest.STEP_OVER, new String[0]);
              } else if (event instanceof StepEvent) {
                StepEvent e = (StepEvent) event;
                e.virtualMachine().eventRequestManager().deleteEventRequest(e.request());
                Location l = e.location();
                steps.add(
                    l.declaringType().name() + "." + l.method().name() + ":" + l.lineNumber());
                if (steps.size() == 1) {
                  bodyLocals.add(locals(e.thread().frame(0)));
                  step(e, StepRequest.STEP_OVER, new String[0]);
                }
              }
            });
    assertThat(output).contains("result 38");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0)).isEqualTo(DEBUGGEE + ".compute:" + first);
    assertThat(bodyLocals.get(0)).isEmpty();
    assertThat(steps.get(1)).startsWith(DEBUGGEE + "$$Lambda").endsWith(".resume:-1");
  }

  /**
   * Stepping over the return, and out, of a coroutine awaited inline after it resumed: the step
   * stops in its caller at the await, as in plain Java, and so on outwards. With a debugger
   * attached a task resumes with its awaiting chain back on the Java stack (DebuggerResume);
   * before, the callers were called one after another from the task's driver, and such a step ran
   * the rest of the task and stopped at the {@code Coroutines.run} line (found from outside, with
   * JDI and jdb).
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void stepOverTheReturnAndOut_afterAResume_stopInTheAwaitingCallers() throws Exception {
    int afterSleep = line("innerAfterSleep");
    List<String> steps = new ArrayList<>();
    int[] depths = {
      StepRequest.STEP_OVER, // innerAfterSleep -> innerReturn
      StepRequest.STEP_OVER, // over the return: into middle, at its await
      StepRequest.STEP_OVER, // middleAfter
      StepRequest.STEP_OUT, // out of middle: into outer, at its await
      StepRequest.STEP_OVER // outerAfter
    };
    String output =
        debug(
            (type, vm) -> {
              for (Location l : locationsOfLine(type, afterSleep)) {
                vm.eventRequestManager().createBreakpointRequest(l).enable();
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                step((BreakpointEvent) event, depths[0]);
              } else if (event instanceof StepEvent) {
                StepEvent e = (StepEvent) event;
                e.virtualMachine().eventRequestManager().deleteEventRequest(e.request());
                steps.add(e.location().method().name() + ":" + e.location().lineNumber());
                if (steps.size() < depths.length) {
                  step(e, depths[steps.size()]);
                }
              }
            });
    assertThat(output).contains("chain 31");
    assertThat(steps)
        .containsExactly(
            "inner:" + line("innerReturn"),
            "middle:" + line("middleAwait"),
            "middle:" + line("middleAfter"),
            "outer:" + line("outerAwait"),
            "outer:" + line("outerAfter"));
  }

  /**
   * The debugger's resume (the awaiting chain entered from its outermost coroutine) runs the same
   * program as the usual one (each caller resumed from the task's driver): chains deeper than the
   * trampoline's bound, failures after a resume caught levels up, finally blocks that await, an
   * async generator, a timeout and a cancellation across a chain, a gather of chains.
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void debuggerResume_runsTheSameProgram_asTheUsualResume() throws Exception {
    writeRewritten("debuggee.ChainShapes");
    String usual = runChainShapes(false);
    String debugger = runChainShapes(true);
    assertThat(usual)
        .contains("deep 101", "catcher caught failed 3", "catcher -100", "catcher 100")
        .contains("sum 166", "timed out", "cancelled stop", "gathered [41, -100, 3]");
    assertThat(debugger).isEqualTo(usual);
  }

  String runChainShapes(boolean debuggerResume) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        classes + System.getProperty("path.separator") + System.getProperty("java.class.path");
    Process p =
        new ProcessBuilder(
                java,
                "-Dcoroutine.debugger=" + debuggerResume,
                "-cp",
                classPath,
                "debuggee.ChainShapes")
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    copy(p.getInputStream(), out);
    assertThat(p.waitFor(SESSION_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out.toString()).isZero();
    return out.toString();
  }

  /**
   * In an instance method's body (a static method) the instance is the local {@code $this}, shown
   * with its fields after a resume; JDI shows no local named {@code this} in a static method, which
   * is what the body kept it as before (an outside check with jdb found it unreachable).
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void instanceCoroutine_showsItsInstanceAsDollarThis_withItsFields() throws Exception {
    int after = line("scaledAfterAwait");
    List<String> seen = new ArrayList<>();
    String output =
        debug(
            (type, vm) -> {
              for (Location l : locationsOfLine(type, after)) {
                vm.eventRequestManager().createBreakpointRequest(l).enable();
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                StackFrame f = ((BreakpointEvent) event).thread().frame(0);
                seen.addAll(locals(f).keySet());
                LocalVariable self = f.visibleVariableByName("$this");
                com.sun.jdi.ObjectReference o = (com.sun.jdi.ObjectReference) f.getValue(self);
                seen.add("factor=" + plain(o.getValue(o.referenceType().fieldByName("factor"))));
              }
            });
    assertThat(output).contains("scaled 20");
    assertThat(seen).containsExactlyInAnyOrder("n", "$this", "factor=4");
  }

  /**
   * A debugger's "drop frame" (JDWP PopFrame: jdb's {@code pop}, an IDE's "Reset Frame") on a body
   * calls it again with what its parameter slot holds; the body keeps its frame there throughout,
   * so it resumes at the same await and the program ends as it would have (found from outside: the
   * body stored the user's {@code int} in that slot, and the JVM crashed on the call). JDI reads
   * the body's argument, the frame, as any method's.
   */
  @Test
  @Timeout(value = 2 * SESSION_SECONDS, unit = TimeUnit.SECONDS)
  void dropFrameAfterAResume_runsTheBodyAgainFromItsAwait_argumentIsTheFrame() throws Exception {
    int afterAwait = line("afterAwait");
    List<String> seen = new ArrayList<>();
    String output =
        debug(
            (type, vm) -> {
              assertThat(vm.canPopFrames()).isTrue();
              for (Location l : locationsOfLine(type, afterAwait)) {
                vm.eventRequestManager().createBreakpointRequest(l).enable();
              }
            },
            event -> {
              if (event instanceof BreakpointEvent) {
                BreakpointEvent b = (BreakpointEvent) event;
                StackFrame f = b.thread().frame(0);
                List<Value> args = f.getArgumentValues();
                Value shown = f.getValue(f.visibleVariableByName("$frame"));
                seen.add(
                    args.size()
                        + " "
                        + args.get(0).type().name()
                        + " "
                        + args.get(0).equals(shown)
                        + " "
                        + locals(f));
                if (seen.size() == 1) {
                  b.thread().popFrames(f);
                }
              }
            });
    assertThat(output).contains("result 38");
    String stop = "1 dev.coroutine.AsyncFrame true {n=3, before=30, label=s21}";
    assertThat(seen).containsExactly(stop, stop);
  }

  /** Classes a user filters out of stepping: the runtime, the JDK, the bodies' lambda proxies. */
  static final String[] STEP_FILTERS = {
    "dev.coroutine.*", "java.*", "jdk.*", "sun.*", DEBUGGEE + "$$Lambda*"
  };

  static void step(com.sun.jdi.event.LocatableEvent at, int depth) {
    step(at, depth, STEP_FILTERS);
  }

  static void step(com.sun.jdi.event.LocatableEvent at, int depth, String[] filters) {
    StepRequest step =
        at.virtualMachine()
            .eventRequestManager()
            .createStepRequest(at.thread(), StepRequest.STEP_LINE, depth);
    for (String f : filters) {
      step.addClassExclusionFilter(f);
    }
    step.addCountFilter(1);
    step.enable();
  }

  /** Sets requests once the debuggee class is prepared. */
  interface Setup {
    void prepared(ReferenceType type, VirtualMachine vm) throws Exception;
  }

  /**
   * Runs the rewritten debuggee under JDI until it exits, handing every event to {@code onEvent}
   * with the event's thread suspended; returns the debuggee's output. A watchdog kills the debuggee
   * after {@link #SESSION_SECONDS}.
   */
  String debug(Setup setup, ThrowingConsumer<Event> onEvent) throws Exception {
    writeRewritten(DEBUGGEE);
    JdwpListener listener = JdwpListener.start(SESSION_SECONDS * 1000);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath =
        classes + System.getProperty("path.separator") + System.getProperty("java.class.path");
    Process process =
        new ProcessBuilder(java, listener.jdwpOption(), "-cp", classPath, DEBUGGEE)
            .redirectErrorStream(true)
            .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Thread drain = new Thread(() -> copy(process.getInputStream(), out), "debuggee output");
    drain.start();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!process.waitFor(SESSION_SECONDS, TimeUnit.SECONDS)) {
                  process.destroyForcibly();
                }
              } catch (InterruptedException e) {
                process.destroyForcibly();
              }
            },
            "debuggee watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    VirtualMachine vm = listener.accept();
    try {
      ClassPrepareRequest prepare = vm.eventRequestManager().createClassPrepareRequest();
      prepare.addClassFilter(DEBUGGEE);
      prepare.enable();
      vm.resume();
      boolean running = true;
      while (running) {
        EventSet set = vm.eventQueue().remove(SESSION_SECONDS * 1000);
        assertThat(set).as("an event within the session's time").isNotNull();
        for (Event e : set) {
          if (e instanceof ClassPrepareEvent) {
            setup.prepared(((ClassPrepareEvent) e).referenceType(), vm);
          } else if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) {
            running = false;
          } else {
            onEvent.accept(e);
          }
        }
        if (running) {
          set.resume();
        }
      }
    } finally {
      try {
        vm.dispose(); // resumes whatever a last event suspended, and lets the debuggee go
      } catch (com.sun.jdi.VMDisconnectedException gone) {
        // it ended already
      }
      // the debuggee prints its result as it ends: let it exit by itself (killing it at its
      // VMDeathEvent could lose that output), the watchdog's limit still applying
      if (!process.waitFor(SESSION_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      drain.join(10_000);
    }
    return out.toString();
  }

  /** A consumer that may throw (JDI calls throw checked exceptions). */
  interface ThrowingConsumer<T> {
    void accept(T t) throws Exception;
  }

  static Stop stop(BreakpointEvent e) throws Exception {
    return stopAt(e.thread().frame(0), e.location());
  }

  static Stop stopAt(StackFrame frame, Location l) throws Exception {
    Map<String, Object> locals = locals(frame);
    ReferenceType type = l.declaringType();
    boolean created =
        ((com.sun.jdi.BooleanValue) type.getValue(type.fieldByName("created"))).value();
    return new Stop(l.lineNumber(), l.method().name(), l.method().signature(), created, locals);
  }

  /**
   * The variables a debugger shows in {@code frame}, with their values, but the body's parameter
   * {@code $frame} (the coroutine's frame, shown in every body).
   */
  static Map<String, Object> locals(StackFrame frame) throws AbsentInformationException {
    Map<String, Object> locals = new LinkedHashMap<>();
    for (LocalVariable v : frame.visibleVariables()) {
      if (!v.name().equals("$frame")) {
        locals.put(v.name(), plain(frame.getValue(v)));
      }
    }
    return locals;
  }

  static Object plain(Value v) {
    if (v instanceof IntegerValue) {
      return ((IntegerValue) v).value();
    }
    if (v instanceof StringReference) {
      return ((StringReference) v).value();
    }
    return String.valueOf(v);
  }

  static List<Location> locationsOfLine(ReferenceType type, int line) {
    try {
      return type.locationsOfLine(line);
    } catch (AbsentInformationException e) {
      throw new AssertionError("no line information in " + type.name(), e);
    }
  }

  void writeRewritten(String className) throws IOException {
    byte[] original = TransformingClassLoader.read(className);
    TransformResult r = Samples.TRANSFORMER.transform(original);
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.bytes()).as("rewritten " + className).isNotNull();
    TransformingClassLoader.verify(r.bytes());
    Path file = classes.resolve(className.replace('.', '/') + ".class");
    Files.createDirectories(file.getParent());
    Files.write(file, r.bytes());
  }

  static int line(String marker) {
    return Samples.line(SOURCE, marker);
  }

  private static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the debuggee is gone: what it printed so far is kept
    }
  }
}
