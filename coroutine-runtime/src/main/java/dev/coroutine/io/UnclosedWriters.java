package dev.coroutine.io;

import java.lang.ref.Cleaner;

/**
 * asyncio's {@code StreamWriter.__del__}: a connection whose {@link StreamWriter} is collected
 * without {@code close()} (a handler that returned without closing, a client that dropped its
 * {@link Connection}) is closed on its loop's thread, with a warning, instead of keeping its socket
 * and buffers for the life of the loop (a server tracked such connections forever: found from
 * outside, one file descriptor and 17 KB per connection).
 *
 * <p>The cleaner's action holds the transport, never the writer, so the writer can be collected;
 * after a STARTTLS it closes the socket under the TLS layer.
 */
final class UnclosedWriters {
  private UnclosedWriters() {}

  private static final System.Logger LOG = System.getLogger("dev.coroutine.io");

  /** One daemon thread, started with the first connection. */
  private static final Cleaner CLEANER =
      Cleaner.create(
          r -> {
            Thread t = new Thread(r, "coroutine-io-cleaner");
            t.setDaemon(true);
            return t;
          });

  /** Closes {@code t} once {@code writer} is collected, unless it is closing already. */
  static void watch(StreamWriter writer, Transport t) {
    CLEANER.register(writer, () -> collected(t));
  }

  /** On the cleaner's thread: hands the close to the loop's. */
  private static void collected(Transport t) {
    try {
      t.loop()
          .callSoonThreadsafe(
              () -> {
                if (!t.isClosing()) {
                  LOG.log(
                      System.Logger.Level.WARNING,
                      "unclosed connection {0}: its StreamWriter was collected without close();"
                          + " closing it now",
                      t);
                  t.close();
                }
              });
    } catch (IllegalStateException loopClosed) {
      // closing the loop closed its channels
    }
  }
}
