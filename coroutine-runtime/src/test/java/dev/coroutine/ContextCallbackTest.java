package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Callbacks and thread hand-offs carry contexts (asyncio's call_soon/call_later/call_at/
 * add_done_callback with and without {@code context=}, to_thread): a callback runs in a copy of the
 * context current when it was scheduled, or in the one passed.
 */
class ContextCallbackTest extends TestBase {
  private static final ContextVar<String> VAR = new ContextVar<>("var", "unset");

  private final List<String> log = new CopyOnWriteArrayList<>();

  private void cb(String tag) {
    log.add(tag + ":" + VAR.get());
    VAR.set("set by " + tag);
  }

  @Test
  void callSoonCallLaterCallAt_runInACopyOfTheContextCurrentWhenScheduled() {
    runSteps(
        v -> {
          Future<Void> fired = loop.createFuture();
          VAR.set("first");
          loop.callSoon(() -> cb("soon"));
          VAR.set("second");
          loop.callLater(0.001, () -> cb("later"));
          VAR.set("third");
          loop.callAt(loop.time() + 0.002, () -> cb("at"));
          loop.callLater(
              Duration.ofMillis(3),
              () -> {
                cb("later-duration");
                fired.setResult(null);
              });
          VAR.set("fourth"); // after every scheduling: seen by nobody but this task
          return Co.await(fired);
        },
        v -> {
          log.add("task:" + VAR.get());
          return null;
        });
    assertThat(log)
        .containsExactly(
            "soon:first", "later:second", "at:third", "later-duration:third", "task:fourth");
  }

  @Test
  void explicitContext_callbacksRunInIt_andWhatTheySetStaysThere() {
    Context ctx = new Context();
    ctx.run(() -> VAR.set("in ctx"));
    runSteps(
        v -> {
          VAR.set("task");
          loop.callSoon(() -> cb("soon"), ctx);
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          Future<Void> fired = loop.createFuture();
          loop.callLater(0.001, () -> cb("later"), ctx);
          loop.callLater(Duration.ofMillis(1), () -> cb("later-duration"), ctx);
          loop.callAt(
              loop.time() + 0.002,
              () -> {
                cb("at");
                fired.setResult(null);
              },
              ctx);
          return Co.await(fired);
        },
        v -> {
          log.add("task:" + VAR.get());
          return null;
        });
    assertThat(log)
        .containsExactly(
            "soon:in ctx",
            "later:set by soon",
            "later-duration:set by later",
            "at:set by later-duration",
            "task:task");
    assertThat(ctx.get(VAR)).isEqualTo("set by at");
  }

  @Test
  void explicitContext_alreadyEntered_failsTheCallback_withIllegalState() {
    Context ctx = new Context();
    ctx.run(
        () -> {
          loop.callSoon(() -> log.add("ran"), ctx);
          loop.callSoon(loop::stop);
          loop.runForever(); // ctx is entered by this thread while the loop runs the callback
        });
    assertThat(log).isEmpty();
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).exception())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already entered");
    loopErrors.clear();
  }

  @Test
  void doneCallbacks_runInTheContextOfWhenTheyWereAdded_orTheOneGiven() {
    Context ctx = new Context();
    runSteps(
        v -> {
          Future<Integer> fut = loop.createFuture();
          VAR.set("when added");
          fut.addDoneCallback(f -> log.add("cb:" + VAR.get()));
          fut.addDoneCallback(f -> VAR.set("in ctx"), ctx);
          VAR.set("when completed");
          fut.setResult(1);
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          log.add("task:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("cb:when added", "task:when completed");
    assertThat(ctx.get(VAR)).isEqualTo("in ctx");
  }

  @Test
  void removeDoneCallback_findsACallbackAddedInANonEmptyContext() {
    runSteps(
        v -> {
          VAR.set("x");
          Future<Integer> fut = loop.createFuture();
          Consumer<Future<Integer>> cb = f -> log.add("must not run");
          fut.addDoneCallback(cb);
          fut.addDoneCallback(cb, new Context());
          assertThat(fut.removeDoneCallback(cb)).isEqualTo(2);
          fut.setResult(1);
          return Co.await(Coroutines.sleep(0));
        });
    assertThat(log).isEmpty();
  }

  @Test
  void runInExecutorAndToThread_carryTheCallersContext_andLeaveNothingInTheWorker()
      throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      runSteps(
          v -> {
            VAR.set("caller");
            return Co.await(
                loop.runInExecutor(
                    one,
                    () -> {
                      log.add("worker:" + VAR.get());
                      VAR.set("worker"); // stays in the job's copy
                      return null;
                    }));
          },
          v ->
              Co.await(
                  Coroutines.toThread(
                      () -> {
                        log.add("toThread:" + VAR.get());
                        return null;
                      })),
          v -> {
            VAR.set("second");
            return Co.await(
                loop.runInExecutor(
                    one,
                    () -> {
                      log.add("worker again:" + VAR.get());
                      return null;
                    }));
          },
          v -> {
            log.add("task:" + VAR.get());
            return null;
          });
      // the worker thread's own context is untouched by the jobs
      assertThat(one.submit(() -> VAR.get()).get(10, TimeUnit.SECONDS)).isEqualTo("unset");
    } finally {
      one.shutdown();
    }
    assertThat(log)
        .containsExactly("worker:caller", "toThread:caller", "worker again:second", "task:second");
  }

  @Test
  void runCoroutineThreadsafe_startsTheTaskInACopyOfTheCallersContext() throws Exception {
    CompletableFuture<String> seen = new CompletableFuture<>();
    Future<Object> release = loop.createFuture();
    Thread loopThread = new Thread(() -> run(Co.awaiting(release)));
    Context caller = new Context();
    loopThread.start();
    try {
      while (!loop.isRunning()) {
        Thread.onSpinWait();
      }
      caller.run(
          () -> {
            VAR.set("submitter");
            Coroutines.runCoroutineThreadsafe(
                    Co.seq(
                        v -> {
                          String s = VAR.get();
                          VAR.set("task"); // its copy, not the submitter's
                          return s;
                        }),
                    loop)
                .whenComplete(
                    (r, e) -> {
                      if (e != null) {
                        seen.completeExceptionally(e);
                      } else {
                        seen.complete((String) r);
                      }
                    });
          });
      assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("submitter");
      assertThat(caller.get(VAR)).isEqualTo("submitter");
    } finally {
      loop.callSoonThreadsafe(() -> release.setResult(null));
      loopThread.join(10_000);
    }
  }

  @Test
  void close_stillFailsAThreadsafeSubmission_madeInANonEmptyContext() {
    Context caller = new Context();
    CompletableFuture<Object> f =
        caller.run(
            () -> {
              VAR.set("submitter");
              return Coroutines.runCoroutineThreadsafe(Co.seq(v -> "never"), loop);
            });
    loop.close(); // the loop never ran: the submission is refused, not dropped
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the coroutine started");
  }

  @Test
  void close_stillFailsAStartedThreadsafeSubmission_madeInANonEmptyContext() {
    Context caller = new Context();
    CompletableFuture<Object> f =
        caller.run(
            () -> {
              VAR.set("submitter");
              return Coroutines.runCoroutineThreadsafe(Co.awaiting(loop.createFuture()), loop);
            });
    loop.stop();
    loop.runForever(); // one pass: the submission runs and creates its task
    assertThat(loop.pendingTasks()).hasSize(1);
    loop.close(); // the task's done-callback is found among its callbacks and refused
    assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the coroutine finished");
  }

  @Test
  void readerCallback_runsInACopyOfTheContextOfItsRegistration() throws Exception {
    java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
    try {
      runSteps(
          v -> {
            Future<Void> readable = loop.createFuture();
            VAR.set("registered");
            loop.addReader(
                pipe.source(),
                () -> {
                  cb("reader");
                  loop.removeReader(pipe.source());
                  readable.setResult(null);
                });
            VAR.set("after registration");
            pipe.sink().write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            return Co.await(readable);
          },
          v -> {
            log.add("task:" + VAR.get());
            return null;
          });
    } finally {
      pipe.source().close();
      pipe.sink().close();
    }
    assertThat(log).containsExactly("reader:registered", "task:after registration");
  }

  @Test
  void serverHandlers_inheritTheContextThatStartedTheServer() throws Exception {
    Future<String> seen = loop.createFuture();
    dev.coroutine.io.StreamHandler handler =
        (r, w) -> {
          if (!seen.isDone()) {
            seen.setResult(VAR.get());
          }
          w.close();
          return Coroutines.done();
        };
    dev.coroutine.io.Server server =
        run(
            Co.seq(
                v -> {
                  VAR.set("server starter");
                  return Co.await(dev.coroutine.io.Streams.startServer(handler, "127.0.0.1", 0));
                }));
    try {
      run(
          Co.seq(
              v -> {
                VAR.set("client");
                return Co.await(
                    dev.coroutine.io.Streams.openConnection("127.0.0.1", server.port()));
              },
              v -> Co.await(seen)));
      assertThat(seen.result()).isEqualTo("server starter");
    } finally {
      server.close();
      server.closeClients();
      run(server.waitClosed());
    }
  }

  @Test
  void createTaskWithContext_runsInThatContext_andKeepsItsChanges() {
    Context ctx = new Context();
    ctx.run(() -> VAR.set("from ctx"));
    runSteps(
        v -> {
          VAR.set("parent");
          Task<Object> t =
              Coroutines.createTask(
                  Co.seq(
                      x -> {
                        log.add("child:" + VAR.get());
                        VAR.set("child");
                        return Co.await(Coroutines.sleep(0));
                      },
                      x -> {
                        log.add("child after await:" + VAR.get());
                        return null;
                      }),
                  "named",
                  ctx);
          assertThat(t.getName()).isEqualTo("named");
          return Co.await(t);
        },
        v -> {
          log.add("parent:" + VAR.get());
          return null;
        });
    assertThat(log).containsExactly("child:from ctx", "child after await:child", "parent:parent");
    assertThat(ctx.get(VAR)).isEqualTo("child");
  }

  @Test
  void taskName_andContext_shareOneSlot_withoutLosingEither() {
    runSteps(
        v -> {
          VAR.set("ctx");
          Task<Object> t = Coroutines.createTask(Co.seq(x -> VAR.get()), "first");
          t.setName("second");
          assertThat(t.getName()).isEqualTo("second");
          t.setName(null);
          assertThat(t.getName()).startsWith("Task-");
          t.setName("third");
          return Co.await(t);
        },
        r -> {
          assertThat(r).isEqualTo("ctx");
          return null;
        });
  }
}
