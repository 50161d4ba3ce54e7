package dev.coroutine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/**
 * The logging recipes of docs/context-variables.md, run for real: SLF4J's own {@link MDC} (with
 * logback's adapter, a test dependency only) follows each task's request id across task switches,
 * and a {@code System.Logger} wrapper prefixes every message with it.
 */
class ContextMdcTest extends TestBase {
  private static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");

  /** The listener under test, registered around each test. */
  private ContextListener mirror;

  @BeforeEach
  void register() {
    mirror = ContextListener.mirror(Map.of("requestId", REQUEST_ID), MDC::put, MDC::remove);
    Context.addListener(mirror);
  }

  @AfterEach
  void unregister() {
    Context.removeListener(mirror);
    MDC.clear();
  }

  @Test
  void slf4jMdc_holdsTheRunningTasksRequestId_afterEverySwitch() {
    List<String> seen = new ArrayList<>();
    run(
        Co.seq(
            v -> Co.await(Coroutines.gather(request("r-1", seen), request("r-2", seen))),
            v -> {
              seen.add("main:" + MDC.get("requestId"));
              return null;
            }));
    assertThat(seen)
        .containsExactly(
            "r-1:r-1", "r-2:r-2", "r-1:r-1", "r-2:r-2", "r-1:r-1", "r-2:r-2", "main:null");
    assertThat(MDC.get("requestId")).isNull(); // the thread that ran the loop is left clean
  }

  @Test
  void slf4jMdc_inACallback_holdsTheIdOfWhereItWasScheduled() {
    List<String> seen = new ArrayList<>();
    run(
        Co.seq(
            v -> {
              REQUEST_ID.set("r-9");
              Future<Void> fired = loop.createFuture();
              loop.callSoon(
                  () -> {
                    seen.add("callback:" + MDC.get("requestId"));
                    fired.setResult(null);
                  });
              return Co.await(fired);
            }));
    assertThat(seen).containsExactly("callback:r-9");
  }

  @Test
  void systemLoggerWrapper_prefixesEachMessageWithTheRunningTasksId() {
    List<String> lines = new ArrayList<>();
    System.Logger log = new RequestLogger(new Recording(lines));
    run(
        Co.seq(
            v -> Co.await(Coroutines.gather(logging("r-1", log), logging("r-2", log))),
            v -> {
              log.log(System.Logger.Level.INFO, "main done");
              return null;
            }));
    assertThat(lines)
        .containsExactly("[r-1] start", "[r-2] start", "[r-1] end", "[r-2] end", "[-] main done");
  }

  private static Coroutine<Object> request(String id, List<String> seen) {
    Supplier<Object> note = () -> seen.add(id + ":" + MDC.get("requestId"));
    return Co.seq(
        v -> {
          REQUEST_ID.set(id);
          note.get();
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          note.get();
          return Co.await(Coroutines.sleep(1));
        },
        v -> note.get());
  }

  private static Coroutine<Object> logging(String id, System.Logger log) {
    return Co.seq(
        v -> {
          REQUEST_ID.set(id);
          log.log(System.Logger.Level.INFO, "start");
          return Co.await(Coroutines.sleep(0));
        },
        v -> {
          log.log(System.Logger.Level.INFO, "end");
          return null;
        });
  }

  /** The wrapper of docs/context-variables.md. */
  static final class RequestLogger implements System.Logger {
    private final System.Logger delegate;

    RequestLogger(System.Logger delegate) {
      this.delegate = delegate;
    }

    @Override
    public String getName() {
      return delegate.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
      return delegate.isLoggable(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      delegate.log(level, bundle, prefix() + msg, thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      delegate.log(level, bundle, prefix() + format, params);
    }

    private static String prefix() {
      return "[" + REQUEST_ID.get("-") + "] ";
    }
  }

  /** A System.Logger that records the messages it is given. */
  static final class Recording implements System.Logger {
    private final List<String> lines;

    Recording(List<String> lines) {
      this.lines = lines;
    }

    @Override
    public String getName() {
      return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
      return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      lines.add(format);
    }
  }
}
