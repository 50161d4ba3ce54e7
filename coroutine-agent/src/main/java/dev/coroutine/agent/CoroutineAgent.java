package dev.coroutine.agent;

import java.lang.instrument.Instrumentation;

/**
 * The {@code -javaagent} entry point: registers a {@link CoroutineClassFileTransformer} that
 * rewrites {@code @Async} methods as their classes load.
 *
 * <pre>
 * java -javaagent:coroutine-agent.jar[=verbose][,failFast][,dump=&lt;dir&gt;] -cp app.jar Main
 * </pre>
 *
 * <p>See {@link AgentOptions} for the options. The agent only supports being started on the command
 * line ({@code Premain-Class}); it never attaches itself to a running JVM.
 */
public final class CoroutineAgent {
  /** The exit status of a JVM stopped by the {@code failFast} option. */
  public static final int FAIL_FAST_EXIT_STATUS = 1;

  /** The exit status of a JVM whose agent options are wrong: it never reaches {@code main}. */
  public static final int BAD_OPTION_EXIT_STATUS = 2;

  private CoroutineAgent() {}

  /**
   * Called by the JVM before {@code main}. A bad option is printed and the JVM exits with {@link
   * #BAD_OPTION_EXIT_STATUS} before {@code main}, so a typo never silently runs the application
   * without the intended checks.
   *
   * @param args the agent options, as after {@code =} in {@code -javaagent:coroutine-agent.jar=...}
   * @param inst the JVM's instrumentation
   */
  public static void premain(String args, Instrumentation inst) {
    // on a thread with room: at the JVM's smallest main-thread stack (-Xss136k, JDK 25) setting up
    // overflowed, and a premain that throws aborts the JVM (found from outside)
    CoroutineClassFileTransformer.runOnBigStack(new Setup(args, inst), "coroutine-agent-premain");
  }

  /** What premain does, on its own thread. */
  private static final class Setup implements Runnable {
    private final String args;
    private final Instrumentation inst;

    Setup(String args, Instrumentation inst) {
      this.args = args;
      this.inst = inst;
    }

    @Override
    public void run() {
      AgentLog log = new AgentLog(System.err);
      try {
        start(log);
      } catch (Throwable e) {
        log.error("not started (internal error): " + e + "; no class will be rewritten");
      }
    }

    private void start(AgentLog log) {
      AgentOptions options;
      try {
        options = AgentOptions.parse(args);
      } catch (IllegalArgumentException e) {
        // Throwing would abort the JVM with a native crash report; a plain exit says it better.
        log.error(e.getMessage());
        System.exit(BAD_OPTION_EXIT_STATUS);
        return;
      }
      CoroutineClassFileTransformer transformer =
          new CoroutineClassFileTransformer(
              options,
              CoroutineClassFileTransformer.DEFAULT_REWRITER,
              log,
              Runtime.getRuntime()::halt);
      inst.addTransformer(transformer, false);
      if (options.verbose()) {
        log.info("started (" + options + ") on Java " + Runtime.version());
      }
    }
  }
}
