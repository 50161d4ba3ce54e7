package dev.coroutine;

import java.util.concurrent.CancellationException;

/**
 * The child JVM of {@link SignalTest}: prints what happens, one line at a time, while the test
 * sends it real signals. Modes: {@code handlers} (loop signal handlers), {@code run} (Ctrl-C
 * cancels run()'s main, whose finally runs), {@code stubborn} (main's cleanup never ends, the
 * second Ctrl-C ends the process), {@code swallow} (main catches the cancellation and returns),
 * {@code ignored} (started with SIGINT ignored: a handler for it is refused, USR1 still works).
 */
public final class SignalChild {
  private SignalChild() {}

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "handlers":
        handlers();
        break;
      case "run":
        Coroutines.run(
            Co.<Object>steps(
                    v -> {
                      say("ready");
                      return Co.await(Coroutines.sleep(3_600_000));
                    })
                .onFinally(() -> say("finally ran"))
                .build());
        say("run returned"); // not reached: run() exits the process as interrupted
        break;
      case "stubborn":
        Coroutines.run(
            Co.<Object>steps(
                    v -> {
                      say("ready");
                      return Co.await(Coroutines.sleep(3_600_000));
                    })
                .onError(
                    e -> {
                      say("cancelled: " + (e instanceof CancellationException));
                      return Co.await(Coroutines.sleep(3_600_000)); // a cleanup that never ends
                    })
                .build());
        say("run returned");
        break;
      case "swallow":
        Object r =
            Coroutines.run(
                Co.<Object>steps(
                        v -> {
                          say("ready");
                          return Co.await(Coroutines.sleep(3_600_000));
                        })
                    .onError(e -> "caught " + e.getClass().getSimpleName())
                    .build());
        say("run returned " + r);
        break;
      case "cancelledtoo":
        try {
          Coroutines.run(
              Co.<Object>steps(
                      v -> {
                        Coroutines.currentTask().cancel("by the program"); // before any SIGINT
                        return Co.await(Coroutines.sleep(3_600_000));
                      })
                  .onError(
                      e -> {
                        say("cleaning up");
                        return Co.await(Coroutines.sleep(3_600_000)); // until the SIGINT
                      })
                  .build());
          say("run returned");
        } catch (CancellationException e) {
          say("run raised CancellationException"); // asyncio: CancelledError, not Ctrl-C's end
        }
        break;
      case "executor":
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Coroutines.run(
            Co.<Object>seq(
                v -> {
                  Coroutines.createTask(
                      Coroutines.toThread(
                          () -> {
                            started.countDown();
                            Thread.sleep(60_000);
                            return null;
                          }));
                  return Co.await(
                      Coroutines.toThread(
                          () -> {
                            started.await();
                            return null;
                          }));
                },
                v -> {
                  say("main done"); // run() now waits for the sleeping job
                  return null;
                }));
        say("run returned");
        break;
      case "ignored":
        ignored();
        break;
      case "throwing":
        throwing();
        break;
      case "ownint":
        ownInt();
        break;
      case "chld":
        childSignal();
        break;
      case "context":
        handlerContext();
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  /**
   * The program's own SIGINT handler, then run() whose main leaves a loop handler of INT in place:
   * when run() ends the program's handler is back (not run()'s own, stale).
   */
  private static void ownInt() throws Exception {
    Class<?> signal = Class.forName("sun.misc.Signal"); // by reflection, as the runtime does
    Class<?> handler = Class.forName("sun.misc.SignalHandler");
    Object own =
        java.lang.reflect.Proxy.newProxyInstance(
            SignalChild.class.getClassLoader(),
            new Class<?>[] {handler},
            (self, m, a) -> {
              if (m.getName().equals("handle")) {
                say("program's INT handler");
                Runtime.getRuntime().halt(3);
              }
              return m.getName().equals("hashCode") ? 0 : m.getName().equals("equals") ? false : "";
            });
    signal
        .getMethod("handle", signal, handler)
        .invoke(null, signal.getConstructor(String.class).newInstance("INT"), own);
    Coroutines.run(
        Co.<Object>seq(
            v -> {
              Coroutines.getRunningLoop().addSignalHandler("INT", () -> say("loop's INT"));
              return null;
            }));
    say("ready");
    Thread.sleep(60_000);
    say("not interrupted");
  }

  /** A USR1 handler that throws: the report names the signal, then the loop goes on. */
  private static void throwing() throws Exception {
    try (EventLoop loop = new EventLoop()) {
      Future<String> done = loop.createFuture();
      loop.setExceptionHandler(
          (l, c) -> {
            say("reported: " + c.message());
            l.callSoon(() -> done.setResult("still running"));
          });
      loop.addSignalHandler(
          "USR1",
          () -> {
            throw new IllegalStateException("handler failed");
          });
      loop.callSoon(() -> say("ready"));
      say(loop.runUntilComplete(done));
    }
  }

  /** Started with SIGINT ignored: its handler is refused; USR1 (sent to itself) still arrives. */
  private static void ignored() throws Exception {
    try (EventLoop loop = new EventLoop()) {
      try {
        loop.addSignalHandler("INT", () -> say("INT handled"));
        say("INT handler installed");
      } catch (IllegalStateException e) {
        say("refused: IllegalStateException: " + e.getMessage());
      }
      Future<Boolean> got = loop.createFuture();
      loop.addSignalHandler("USR1", () -> got.setResult(true));
      loop.callSoon(() -> sendUsr1ToSelf(got));
      say("USR1 handled: " + loop.runUntilComplete(got));
    }
  }

  /**
   * A CHLD handler added before this JVM started any process, then three children started one after
   * the other, each once the previous one's CHLD was handled: the handler runs for each (the JDK's
   * first process start resets SIGCHLD; the handler must survive it), and the JDK still reaps them
   * ({@code waitFor} gives their exit codes).
   */
  private static void childSignal() throws Exception {
    try (EventLoop loop = new EventLoop()) {
      Future<String> done = loop.createFuture();
      int[] handled = {0};
      Process[] last = {null};
      Runnable startChild =
          () -> {
            try {
              last[0] = new ProcessBuilder("sh", "-c", "exit " + (handled[0] + 3)).start();
            } catch (java.io.IOException e) {
              done.setException(e);
            }
          };
      loop.addSignalHandler(
          "CHLD",
          () -> {
            try {
              int code = last[0].waitFor();
              say("CHLD " + (++handled[0]) + ", exit " + code);
            } catch (InterruptedException e) {
              done.setException(e);
              return;
            }
            if (handled[0] < 3) {
              startChild.run();
            } else if (!done.isDone()) {
              done.setResult("handled " + handled[0]);
            }
          });
      loop.callSoon(startChild);
      loop.callLater(
          java.time.Duration.ofSeconds(30),
          () -> {
            if (!done.isDone()) {
              done.setResult("timed out after " + handled[0]);
            }
          });
      say(loop.runUntilComplete(done));
    }
  }

  /**
   * The handler runs in a copy of the context {@code addSignalHandler} was called in (asyncio's
   * Handle): it sees a value set before, not one set after.
   */
  private static void handlerContext() throws Exception {
    ContextVar<String> request = new ContextVar<>("request", "default");
    try (EventLoop loop = new EventLoop()) {
      Future<String> seen = loop.createFuture();
      request.set("set before");
      loop.addSignalHandler("USR1", () -> seen.setResult(request.get()));
      request.set("set after");
      loop.callSoon(() -> sendUsr1ToSelf(seen));
      say("handler sees " + loop.runUntilComplete(seen));
    }
  }

  /** Sends SIGUSR1 to this JVM with {@code kill}; a failure to run it fails {@code f}. */
  private static void sendUsr1ToSelf(Future<?> f) {
    try {
      new ProcessBuilder("kill", "-s", "USR1", Long.toString(ProcessHandle.current().pid()))
          .inheritIO()
          .start();
    } catch (java.io.IOException e) {
      f.setException(e);
    }
  }

  /** USR1 and HUP run on the loop thread; TERM ends the loop; then TERM is the JVM's again. */
  private static void handlers() throws Exception {
    EventLoop loop = new EventLoop();
    Future<String> done = loop.createFuture();
    Thread loopThread = Thread.currentThread();
    loop.addSignalHandler(
        "USR1", () -> say("USR1 on loop thread: " + (Thread.currentThread() == loopThread)));
    loop.addSignalHandler(
        "SIGHUP", () -> say("HUP on loop thread: " + (Thread.currentThread() == loopThread)));
    loop.addSignalHandler(
        "TERM",
        () -> done.setResult("TERM on loop thread: " + (Thread.currentThread() == loopThread)));
    loop.callSoon(() -> say("ready"));
    say(loop.runUntilComplete(done));
    say(
        "removed TERM: "
            + loop.removeSignalHandler("TERM")
            + ", again: "
            + loop.removeSignalHandler("TERM"));
    loop.close(); // gives USR1 and HUP back too
    say("closed");
    Thread.sleep(3_600_000); // the next TERM is the JVM's: it exits with 143
  }
}
