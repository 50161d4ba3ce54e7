package dev.coroutine.io;

import dev.coroutine.Future;
import dev.coroutine.internal.NeverFailingLogger;
import dev.coroutine.internal.RuntimeCallback;
import dev.coroutine.internal.RuntimeCleaner;
import dev.coroutine.internal.RuntimeHandoff;
import java.lang.ref.Cleaner;
import java.lang.ref.WeakReference;

/**
 * asyncio's {@code StreamWriter.__del__}: a connection whose {@link StreamWriter} is collected
 * while its transport is still open (a handler that returned without closing, a client that dropped
 * its {@link Connection}) is closed on its loop's thread, with a warning, instead of keeping its
 * socket and buffers for the life of the loop (a server tracked such connections forever: found
 * from outside, one file descriptor and 17 KB per connection).
 *
 * <p>A {@link Watch} holds the writer's current transport weakly (the TLS one after a STARTTLS),
 * never the writer, so the writer can be collected; once that transport closes, the watch lets go
 * of it and leaves the cleaner, so a connection closed properly costs nothing more. The one cleaner
 * thread serves every loop, so its handoff never waits for room in a loop's inbox ({@link
 * RuntimeHandoff}). The cleaner is the runtime's one ({@link RuntimeCleaner}).
 */
final class UnclosedWriters {
  private UnclosedWriters() {}

  private static final System.Logger LOG = NeverFailingLogger.of("dev.coroutine.io");

  /** Watches {@code writer}, whose transport is {@code t}. */
  static Watch watch(StreamWriter writer, Transport t) {
    Watch w = new Watch(t);
    w.cleanable = RuntimeCleaner.register(writer, w);
    w.follow(t);
    return w;
  }

  /** The cleaner's action for one writer. */
  static final class Watch implements Runnable {
    /**
     * The writer's current transport, held weakly (an open one is held by its loop's selector; a
     * strong hold from the cleaner, a root, would keep a closed loop and its tasks forever); null
     * once it closed (nothing left to do).
     */
    private volatile WeakReference<Transport> transport;

    /** The registration with the cleaner, ended when the transport closes. */
    private Cleaner.Cleanable cleanable;

    private Watch(Transport t) {
      transport = new WeakReference<>(t);
    }

    /** The transport watched: the writer's current one while open, null once it closed. */
    Transport watched() {
      WeakReference<Transport> r = transport;
      return r == null ? null : r.get();
    }

    /** The writer moved to {@code t} (STARTTLS): watch that one. */
    void moved(Transport t) {
      transport = new WeakReference<>(t);
      follow(t);
    }

    private void follow(Transport t) {
      // a runtime callback: it captures no context (a context can reach the writer, which would
      // then never be collected)
      t.closed()
          .addDoneCallback(
              (RuntimeCallback<Future<Void>>)
                  x -> {
                    if (watched() == t) {
                      transport = null;
                      cleanable.clean(); // leaves the cleaner; run() finds nothing to do
                    }
                  });
    }

    /** On the cleaner's thread, the writer collected: hands the close to the loop's thread. */
    @Override
    public void run() {
      Transport t = watched();
      if (t == null) {
        return;
      }
      try {
        t.loop()
            .callSoonThreadsafe(
                (RuntimeHandoff)
                    () -> {
                      if (!t.isClosing()) {
                        LOG.log(
                            System.Logger.Level.WARNING,
                            "unclosed connection {0}: its StreamWriter was collected without close();"
                                + " closing it now",
                            t);
                        t.close();
                      } else if (!t.closed().isDone()) {
                        t.close(); // closing on its own (a write failed), not yet closed: now
                      }
                    });
      } catch (IllegalStateException loopClosed) {
        // closing the loop closed its channels
      }
    }
  }
}
