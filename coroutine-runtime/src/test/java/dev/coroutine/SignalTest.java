package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signal handlers and run()'s Ctrl-C, with real signals ({@code kill -s NAME pid}) sent to a child
 * JVM running {@link SignalChild}.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalTest {
  /** The child of the test, killed at the end whatever happened. */
  private Process child;

  /** Its stdout. */
  private BufferedReader out;

  @AfterEach
  void killChild() {
    if (child != null) {
      child.destroyForcibly();
    }
  }

  /**
   * Starts the child JVM with HUP, INT and TERM at their default dispositions: a build started in
   * the background of a non-interactive shell (or under nohup) ignores INT (or HUP), children
   * inherit that, and the JVM never takes an ignored one over. {@code env --default-signal} (GNU
   * coreutils 8.31+) resets them; {@code env --ignore-signal} makes the opposite case.
   */
  void start(String mode, String signals) throws IOException {
    assumeTrue(!System.getProperty("os.name").startsWith("Windows"), "POSIX signals");
    assumeTrue(
        envSetsSignals(),
        "env --default-signal (GNU coreutils 8.31+) is needed to control the child's signals");
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    child =
        new ProcessBuilder(
                "env",
                signals,
                java,
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                SignalChild.class.getName(),
                mode)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
  }

  void start(String mode) throws IOException {
    start(mode, "--default-signal=HUP,INT,TERM");
  }

  static boolean envSetsSignals() {
    try {
      Process p =
          new ProcessBuilder("env", "--default-signal=INT", "--ignore-signal=HUP", "true").start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  String line() throws IOException {
    return out.readLine();
  }

  void send(String signal) throws Exception {
    Process k =
        new ProcessBuilder("kill", "-s", signal, Long.toString(child.pid())).inheritIO().start();
    assertThat(k.waitFor()).as("kill -s %s", signal).isZero();
  }

  int exitCode() throws InterruptedException {
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child exited").isTrue();
    return child.exitValue();
  }

  @Test
  void loopHandlers_runOnTheLoopThread_removedOrClosedGiveTheSignalBackToTheJvm() throws Exception {
    start("handlers");
    assertThat(line()).isEqualTo("ready");
    send("USR1");
    assertThat(line()).isEqualTo("USR1 on loop thread: true");
    send("HUP");
    assertThat(line()).isEqualTo("HUP on loop thread: true");
    send("USR1");
    assertThat(line()).isEqualTo("USR1 on loop thread: true");
    send("TERM");
    assertThat(line()).isEqualTo("TERM on loop thread: true");
    assertThat(line()).isEqualTo("removed TERM: true, again: false");
    assertThat(line()).isEqualTo("closed");
    send("TERM");
    assertThat(line()).isNull();
    assertThat(exitCode()).isEqualTo(128 + 15); // the JVM's own TERM handling is back
  }

  @Test
  void run_firstSigint_cancelsMain_finallyRuns_processExitsAsInterrupted() throws Exception {
    start("run");
    assertThat(line()).isEqualTo("ready");
    send("INT");
    assertThat(line()).isEqualTo("finally ran");
    assertThat(line()).isNull(); // "run returned" is never printed
    assertThat(exitCode()).isEqualTo(130);
  }

  @Test
  void run_secondSigint_whileCleanupHangs_endsTheProcessAtOnce() throws Exception {
    start("stubborn");
    assertThat(line()).isEqualTo("ready");
    send("INT");
    assertThat(line()).isEqualTo("cancelled: true");
    send("INT");
    assertThat(line()).isNull();
    assertThat(exitCode()).isEqualTo(130);
  }

  @Test
  void run_sigintWhileWaitingForExecutorJobs_endsTheProcessAtOnce() throws Exception {
    // as asyncio's Runner, which puts Python's own SIGINT handler back before its clean-up: the
    // handler that cancels main has nothing left to cancel there (found by a review: the first
    // Ctrl-C was lost and the program exited 0 after the job)
    start("executor");
    assertThat(line()).isEqualTo("main done");
    Thread.sleep(200); // into run()'s wait for the job
    send("INT");
    assertThat(line()).isNull(); // "run returned" is never printed
    assertThat(exitCode()).isEqualTo(130);
  }

  /**
   * As asyncio's Runner (test_runners' test_interrupt_cancelled_task): Ctrl-C ends the process only
   * if its cancellation was main's only one; main cancelled by the program too ends run() with the
   * cancellation (found from outside: the process exited 130).
   */
  @Test
  void run_sigintWhileMainWasCancelledByTheProgramToo_runThrowsTheCancellation() throws Exception {
    start("cancelledtoo");
    assertThat(line()).isEqualTo("cleaning up");
    send("INT");
    assertThat(line()).isEqualTo("run raised CancellationException");
    assertThat(exitCode()).isZero();
  }

  @Test
  void run_mainCatchesTheCancellation_runReturnsNormally() throws Exception {
    start("swallow");
    assertThat(line()).isEqualTo("ready");
    send("INT");
    assertThat(line()).isEqualTo("run returned caught CancellationException");
    assertThat(exitCode()).isZero();
  }

  /**
   * A loop's INT handler left in place when run() ends gives SIGINT back to the program's own
   * handler from before run(), as removing it does (found from outside: run()'s own handler came
   * back, stale, and the process exited 130 without the program's handler).
   */
  @Test
  void run_endingWhileALoopHoldsInt_givesItBackToTheProgramsOwnHandler() throws Exception {
    start("ownint");
    assertThat(line()).isEqualTo("ready");
    send("INT");
    assertThat(line()).isEqualTo("program's INT handler");
    assertThat(exitCode()).isEqualTo(3);
  }

  @Test
  void addSignalHandler_refusesSignalsTheJvmKeeps_andUnknownNames() {
    try (EventLoop loop = new EventLoop()) {
      assertThatThrownBy(() -> loop.addSignalHandler("USR2", () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SIGUSR2")
          .hasMessageContaining("JVM");
      // a Java handler of a mapped file's SIGBUS returns to the faulting read, which faults again
      // forever (found from outside); SIGTRAP is HotSpot's on some platforms
      for (String jvms : new String[] {"BUS", "SIGTRAP", "PROF"}) {
        assertThatThrownBy(() -> loop.addSignalHandler(jvms, () -> {}))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("is used by the JVM itself");
      }
      assertThatThrownBy(() -> loop.addSignalHandler("QUIT", () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("SIGQUIT");
      assertThatThrownBy(() -> loop.addSignalHandler("NOPE", () -> {}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("NOPE");
      assertThat(loop.removeSignalHandler("USR1")).isFalse();
    }
  }

  @Test
  void addSignalHandler_forASignalIgnoredSinceStart_isRefusedSayingWhy() throws Exception {
    start("ignored", "--ignore-signal=INT");
    assertThat(line())
        .startsWith("refused: IllegalStateException: SIGINT is ignored by this process")
        .contains("env --default-signal=INT");
    assertThat(line()).isEqualTo("USR1 handled: true"); // other signals still work
    assertThat(exitCode()).isZero();
  }

  @Test
  void handlerThatThrows_isReportedNamingItsSignal_andTheLoopGoesOn() throws Exception {
    start("throwing");
    assertThat(line()).isEqualTo("ready");
    send("USR1");
    assertThat(line()).startsWith("reported: Exception in callback Handle[handler of SIGUSR1: ");
    assertThat(line()).isEqualTo("still running");
    assertThat(exitCode()).isZero();
  }

  @Test
  void chldHandler_addedBeforeTheJvmsFirstProcess_runsForEachChild_andTheJdkStillReapsThem()
      throws Exception {
    start("chld");
    assertThat(line()).isEqualTo("CHLD 1, exit 3");
    assertThat(line()).isEqualTo("CHLD 2, exit 4");
    assertThat(line()).isEqualTo("CHLD 3, exit 5");
    assertThat(line()).isEqualTo("handled 3");
    assertThat(exitCode()).isZero();
  }

  @Test
  void handler_runsInTheContextAddSignalHandlerWasCalledIn() throws Exception {
    start("context");
    assertThat(line()).isEqualTo("handler sees set before");
    assertThat(exitCode()).isZero();
  }

  @Test
  void addSignalHandler_onAClosedLoop_isRefused() {
    EventLoop loop = new EventLoop();
    loop.close();
    assertThatThrownBy(() -> loop.addSignalHandler("USR1", () -> {}))
        .isInstanceOf(IllegalStateException.class);
  }
}
