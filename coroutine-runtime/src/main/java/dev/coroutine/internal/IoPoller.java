package dev.coroutine.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.function.Consumer;

/**
 * The I/O half of an {@code EventLoop}: a {@link Selector} and the reader/writer callbacks
 * registered on channels (asyncio's selector plus {@code _add_reader}/{@code _add_writer}). A loop
 * opens it on its first I/O registration, so loops that never do I/O keep waiting with park/unpark.
 *
 * <p>Invariant: everything here runs on the loop thread, except {@link #wakeup()}. The runtime's
 * own channels (streams, servers, pipes, datagram endpoints) stay registered (their key valid, with
 * interest 0 when nothing is wanted) from their first registration until they are closed, so that
 * closing the loop finds and closes them ({@link RuntimeChannelCallback}). Any other channel, the
 * user's, leaves the selector as soon as nothing waits on it, as an fd leaves asyncio's selector:
 * the user may close it or make it blocking again. A ready key puts its {@link Registration}'s
 * dispatchers on the loop's ready queue; they look up the callback when they run, so a callback
 * removed in the meantime does not run.
 *
 * <p>NIO does not close a channel registered with a selector when it is closed: the kernel's socket
 * stays open (a closed listener goes on accepting connections into its backlog, its port stays
 * bound) until that selector's next select deregisters it, which never comes if the loop has
 * stopped. The loop's next pass does it, as asyncio's transports close their sockets a callback
 * later; a run of the loop does it as it ends ({@link #deregisterNow}); and removing a callback of
 * a channel already closed does it at once (a server's {@code close()}, which asyncio makes
 * synchronous). It costs a select that takes no events (the JDK's selectors are level-triggered:
 * the next select reports the ready channels again) and that scans every ready one, so it is not
 * done per connection. It may clear a {@link #wakeup()} made meanwhile: the loop re-checks its
 * inbox after it marks itself parked, so that wake-up is not needed.
 *
 * <p>It needs nothing of the loop but a way onto its ready queue without a {@code Handle} (the
 * {@code ready} sink the loop passes in): plumbing, not API.
 */
public final class IoPoller implements Consumer<SelectionKey> {
  /** Reader readiness: data or end of stream for a socket, a pending connection for a server. */
  private static final int READ_OPS = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;

  /** Writer readiness: room in the send buffer, or a non-blocking connect that finished. */
  private static final int WRITE_OPS = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

  /** The events of {@link #deregisterNow}'s select: left for the next select, which sees them. */
  private static final Consumer<SelectionKey> NO_EVENTS = k -> {};

  /** The selector; closed by {@link #close()}. */
  private final Selector selector;

  /** Puts a dispatcher on the loop's ready queue (the loop's own scheduling, no Handle). */
  private final Consumer<Runnable> toReady;

  /**
   * Opens the selector.
   *
   * @param ready puts a Runnable on the loop's ready queue; called on the loop thread
   * @throws UncheckedIOException if no selector can be opened
   */
  public IoPoller(Consumer<Runnable> ready) {
    this.toReady = ready;
    JdkIoClasses.initialize();
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for the event loop", e);
    }
  }

  /**
   * The selector; for tests that break it behind the loop's back.
   *
   * @return the selector
   */
  public Selector selector() {
    return selector;
  }

  /**
   * Sets the reader ({@code write == false}) or writer callback of {@code ch}, replacing any.
   *
   * @param ch an open channel; made non-blocking
   * @param callback runs on the loop thread while {@code ch} is ready
   * @param write true for the writer callback
   * @param owned the runtime's own channel ({@link RuntimeChannelCallback}): it stays registered
   *     while idle
   * @throws IllegalArgumentException if {@code ch} is closed
   */
  public void add(SelectableChannel ch, Runnable callback, boolean write, boolean owned) {
    if (!ch.isOpen()) {
      throw new IllegalArgumentException("channel is closed: " + ch);
    }
    SelectionKey k = ch.keyFor(selector);
    Registration reg;
    try {
      if (k == null || !k.isValid()) {
        if (k != null) {
          deregisterNow(); // a cancelled key: the channel can register again only once it is gone
        }
        if (ch.isBlocking()) {
          ch.configureBlocking(false);
        }
        reg = new Registration(ch);
        k = ch.register(selector, 0, reg);
        reg.key = k;
      } else {
        reg = (Registration) k.attachment();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (write) {
      reg.writer = callback;
    } else {
      reg.reader = callback;
    }
    reg.owned = owned; // the last registration decides
    reg.updateInterest();
  }

  /**
   * Removes the reader or writer callback of {@code ch}. A channel not the runtime's own with
   * neither left is let go (its key cancelled: it leaves the selector at the next select); a
   * channel already closed is deregistered now, which completes its close.
   *
   * @param ch the channel
   * @param write true for the writer callback
   * @return false if it had none
   */
  public boolean remove(SelectableChannel ch, boolean write) {
    SelectionKey k = ch.keyFor(selector);
    if (k == null) {
      return false;
    }
    Registration reg = (Registration) k.attachment();
    boolean had;
    if (write) {
      had = reg.writer != null;
      reg.writer = null;
    } else {
      had = reg.reader != null;
      reg.reader = null;
    }
    if (!ch.isOpen()) {
      deregisterNow(); // closed with its key registered: the kernel closes it only now
    } else if (!reg.owned && reg.reader == null && reg.writer == null) {
      k.cancel(); // nothing waits on the user's channel: let it go at the next select
    } else if (had) {
      reg.updateInterest();
    }
    return had;
  }

  /**
   * Runs a select that takes no events, so that the keys cancelled since the last select are
   * deregistered now, and the channels closed with them closed in the kernel: when a run of the
   * loop ends, and for a channel closed before its callback is removed.
   */
  public void deregisterNow() {
    try {
      selector.selectNow(NO_EVENTS);
    } catch (ClosedSelectorException e) {
      // the loop closed: closing the selector deregistered everything
    } catch (IOException e) {
      throw new UncheckedIOException("select failed", e);
    }
  }

  /**
   * Waits up to {@code timeoutNanos} (0: do not wait, {@link Long#MAX_VALUE}: no limit) for I/O
   * readiness or {@link #wakeup()}, and schedules the callbacks of the ready channels.
   *
   * @param timeoutNanos the longest wait
   */
  public void select(long timeoutNanos) {
    try {
      if (timeoutNanos == 0) {
        if (!selector.keys().isEmpty()) {
          selector.selectNow(this);
        }
      } else if (timeoutNanos == Long.MAX_VALUE) {
        selector.select(this, 0);
      } else {
        selector.select(this, waitMillis(timeoutNanos));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("select failed", e);
    }
  }

  /**
   * A wait of {@code timeoutNanos} ({@code 0 < t < Long.MAX_VALUE}) in whole milliseconds, rounded
   * up as asyncio's epoll selector rounds: a timer is never woken before it is due, at most a
   * millisecond after, and timers due within that millisecond run in the same pass. The loop waits
   * so with or without a selector.
   *
   * @param timeoutNanos the wait, positive
   * @return at least 1
   */
  public static long waitMillis(long timeoutNanos) {
    // no overflow near Long.MAX_VALUE
    return Math.max(1, timeoutNanos / 1_000_000 + (timeoutNanos % 1_000_000 != 0 ? 1 : 0));
  }

  /**
   * Called by the selector for each ready key: puts its dispatchers on the ready queue.
   *
   * @param k a ready key of this poller's selector
   */
  @Override
  public void accept(SelectionKey k) {
    Registration reg = (Registration) k.attachment();
    int ready;
    try {
      ready = k.readyOps();
    } catch (CancelledKeyException e) {
      return;
    }
    if ((ready & READ_OPS) != 0 && reg.reader != null) {
      toReady.accept(reg.readDispatch);
    }
    if ((ready & WRITE_OPS) != 0 && reg.writer != null) {
      toReady.accept(reg.writeDispatch);
    }
  }

  /** Wakes a {@link #select} in progress, or makes the next one return at once. Any thread. */
  public void wakeup() {
    selector.wakeup();
  }

  /**
   * Closes every channel still registered (the runtime's own, and the user's that something still
   * waits on), then the selector.
   */
  public void close() {
    ArrayList<SelectableChannel> channels = new ArrayList<>();
    try {
      for (SelectionKey k : selector.keys()) {
        if (k.isValid()) { // a cancelled one is a user's channel let go (or one closed already)
          channels.add(k.channel());
        }
      }
    } catch (ClosedSelectorException e) {
      return;
    }
    for (SelectableChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        // closing: nothing more to do with it
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // nothing more to do
    }
  }

  /** The callbacks registered for one channel: the key's attachment. */
  private static final class Registration {
    /** The channel. */
    final SelectableChannel channel;

    /** Its key with the loop's selector. */
    SelectionKey key;

    /** The runtime's own channel, kept registered while idle ({@link RuntimeChannelCallback}). */
    boolean owned;

    /** Called when the channel is readable (or acceptable), or null. */
    Runnable reader;

    /** Called when the channel is writable (or its connect finished), or null. */
    Runnable writer;

    /** Put on the ready queue when readable: runs {@link #reader} if it is still set. */
    final Runnable readDispatch;

    /** Put on the ready queue when writable: runs {@link #writer} if it is still set. */
    final Runnable writeDispatch;

    Registration(SelectableChannel channel) {
      this.channel = channel;
      this.readDispatch = new Dispatch(this, false);
      this.writeDispatch = new Dispatch(this, true);
    }

    void updateInterest() {
      int valid = channel.validOps();
      int ops = 0;
      if (reader != null) {
        ops |= valid & READ_OPS;
      }
      if (writer != null) {
        if (channel instanceof SocketChannel && ((SocketChannel) channel).isConnectionPending()) {
          ops |= SelectionKey.OP_CONNECT;
        } else {
          ops |= valid & SelectionKey.OP_WRITE;
        }
      }
      try {
        if (key.interestOps() != ops) {
          key.interestOps(ops);
        }
      } catch (CancelledKeyException e) {
        // closed meanwhile: nothing to wait for
      }
    }

    @Override
    public String toString() {
      return "IoRegistration[" + channel + "]";
    }
  }

  /** Runs the current reader or writer callback of a registration. */
  private static final class Dispatch implements Runnable {
    /** The registration. */
    private final Registration reg;

    /** Writer (true) or reader (false). */
    private final boolean write;

    Dispatch(Registration reg, boolean write) {
      this.reg = reg;
      this.write = write;
    }

    @Override
    public void run() {
      Runnable cb = write ? reg.writer : reg.reader;
      if (cb != null) {
        cb.run();
      }
    }

    @Override
    public String toString() {
      Runnable cb = write ? reg.writer : reg.reader;
      return (write ? "writer " : "reader ") + CallbackNames.describe(cb) + " of " + reg.channel;
    }
  }
}
