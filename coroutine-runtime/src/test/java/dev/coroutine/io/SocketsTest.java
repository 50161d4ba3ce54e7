package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.TestBase;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The low-level awaitables, reader/writer callbacks, and the loop waiting in its selector. */
// a hung loop never returns to JUnit's own thread: time out from a separate thread so a
// regression fails instead of hanging the build
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketsTest extends TestBase {
  ServerSocketChannel server;
  InetSocketAddress address;

  @BeforeEach
  void listen() throws Exception {
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    address = (InetSocketAddress) server.getLocalAddress();
  }

  @AfterEach
  void unlisten() throws Exception {
    server.close();
  }

  <T> T await(Coroutine<T> c) {
    return loop.runUntilComplete(loop.createTask(c));
  }

  @Test
  void connectAcceptSendRecv_roundTrip() throws Exception {
    SocketChannel client = SocketChannel.open();
    Task<SocketChannel> accepting = loop.createTask(Sockets.sockAccept(server));
    await(Sockets.sockConnect(client, address));
    SocketChannel peer = loop.runUntilComplete(accepting);
    assertThat(peer.isBlocking()).isFalse();

    byte[] big = new byte[4 << 20]; // more than the socket buffers hold: sendall must wait
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    Task<Void> sending = loop.createTask(Sockets.sockSendall(client, big));
    ByteBuffer into = ByteBuffer.allocate(big.length);
    AtomicInteger reads = new AtomicInteger();
    while (into.hasRemaining()) {
      int n = await(Sockets.sockRecvInto(peer, into));
      assertThat(n).isPositive();
      reads.incrementAndGet();
    }
    loop.runUntilComplete(sending);
    assertThat(into.array()).isEqualTo(big);
    assertThat(reads.get()).isGreaterThan(1);

    client.shutdownOutput();
    assertThat(await(Sockets.sockRecv(peer, 10))).isEmpty(); // end of stream
    assertThat(await(Sockets.sockRecvInto(peer, ByteBuffer.allocate(4)))).isEqualTo(-1);
    client.close();
    peer.close();
  }

  /**
   * A channel that waited in a call stays the user's when the loop closes: open, free to be made
   * blocking again and used by another loop (found from outside: closing the loop closed it, and it
   * could not be made blocking; asyncio's loop.close() leaves user sockets alone).
   */
  @Test
  void channelThatWaited_staysOpenAfterTheLoopCloses_andCanBlockAgain() throws Exception {
    try (SocketChannel client = SocketChannel.open(address);
        SocketChannel peer = server.accept()) {
      dev.coroutine.EventLoop first = new dev.coroutine.EventLoop();
      // a context variable set: the loop binds the readiness callback to a copy of the context,
      // and the channel must still be known as the user's
      dev.coroutine.ContextVar<String> who = new dev.coroutine.ContextVar<>("who");
      Task<byte[]> receiving =
          new dev.coroutine.Context()
              .run(
                  () -> {
                    who.set("user");
                    try {
                      return first.createTask(Sockets.sockRecv(peer, 10));
                    } catch (java.io.IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  });
      first.callLater( // after the receive has found nothing and waits
          0.05,
          () -> {
            try {
              client.write(ByteBuffer.wrap(new byte[] {'o', 'n', 'e'}));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
      assertThat(first.runUntilComplete(receiving)).containsExactly('o', 'n', 'e');
      first.close();
      assertThat(peer.isOpen()).as("open after the loop closed").isTrue();
      peer.configureBlocking(true);
      client.write(ByteBuffer.wrap(new byte[] {'t', 'w', 'o'}));
      ByteBuffer two = ByteBuffer.allocate(3);
      while (two.hasRemaining()) {
        peer.read(two); // blocking
      }
      assertThat(two.array()).containsExactly('t', 'w', 'o');
      client.write(ByteBuffer.wrap(new byte[] {'3'}));
      assertThat(await(Sockets.sockRecv(peer, 10))).containsExactly('3'); // another loop
    }
  }

  /**
   * A user's channel leaves the loop's selector once nothing waits on it, as an fd leaves asyncio's
   * (found from outside with CPython's socket tests: a listener closed after a sockAccept went on
   * taking connections until the loop's next select, since NIO defers the close of a channel
   * registered with a selector): while the loop lives, it can be made blocking again, and closing
   * it takes effect at once.
   */
  @Test
  void channelThatWaited_leavesTheSelector_blocksAgain_andClosesAtOnce() throws Exception {
    Task<SocketChannel> accepting = loop.createTask(Sockets.sockAccept(server)); // must wait
    try (SocketChannel client = SocketChannel.open()) {
      await(Sockets.sockConnect(client, address));
      try (SocketChannel peer = loop.runUntilComplete(accepting)) {
        Task<byte[]> receiving = loop.createTask(Sockets.sockRecv(peer, 10)); // must wait too
        loop.callLater(
            0.02,
            () -> {
              try {
                client.write(ByteBuffer.wrap(new byte[] {'h', 'i'}));
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
        assertThat(loop.runUntilComplete(receiving)).containsExactly('h', 'i');
        peer.configureBlocking(true); // refused by NIO while registered with a selector
        client.write(ByteBuffer.wrap(new byte[] {'!'}));
        ByteBuffer one = ByteBuffer.allocate(1);
        peer.read(one); // blocking
        assertThat(one.array()).containsExactly('!');
      }
    }
    server.close(); // the loop is not running: no select will come to complete a deferred close
    assertThatThrownBy(() -> SocketChannel.open(address).close())
        .isInstanceOf(java.net.ConnectException.class);
  }

  /**
   * A user's channel whose last callback was removed is let go: closing the loop leaves it open
   * (asyncio's {@code close()} never closes a user's file), even when no select came in between.
   */
  @Test
  void channelLetGo_closingTheLoopLeavesItOpen() throws Exception {
    try (SocketChannel client = SocketChannel.open(address);
        SocketChannel peer = server.accept()) {
      dev.coroutine.EventLoop other = new dev.coroutine.EventLoop();
      other.addReader(peer, () -> {});
      assertThat(other.removeReader(peer)).isTrue();
      other.close();
      assertThat(peer.isOpen()).isTrue();
      peer.configureBlocking(true);
      client.write(ByteBuffer.wrap(new byte[] {'k'}));
      ByteBuffer one = ByteBuffer.allocate(1);
      peer.read(one);
      assertThat(one.array()).containsExactly('k');
    }
  }

  @Test
  void recvUnderTimeout_timesOut_thenTheChannelStillWorks() throws Exception {
    SocketChannel client = SocketChannel.open();
    Task<SocketChannel> accepting = loop.createTask(Sockets.sockAccept(server));
    await(Sockets.sockConnect(client, address));
    SocketChannel peer = loop.runUntilComplete(accepting);
    assertThatThrownBy(
            () -> await(Coroutines.waitFor(Sockets.sockRecv(peer, 10), Duration.ofMillis(30))))
        .isInstanceOf(TimeoutException.class);
    await(Sockets.sockSendall(client, "ok".getBytes()));
    assertThat(await(Sockets.sockRecv(peer, 10))).asString().isEqualTo("ok");
    client.close();
    peer.close();
  }

  @Test
  void addReader_callsBackWhileReadable_removeReaderStops() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    SocketChannel peer = server.accept();
    AtomicInteger calls = new AtomicInteger();
    Future<String> got = loop.createFuture();
    ByteBuffer buf = ByteBuffer.allocate(16);
    loop.addReader(
        peer,
        () -> {
          calls.incrementAndGet();
          try {
            peer.read(buf);
          } catch (Exception e) {
            got.setException(e);
            return;
          }
          if (buf.position() >= 5) {
            assertThat(loop.removeReader(peer)).isTrue();
            got.setResult(new String(buf.array(), 0, buf.position()));
          }
        });
    client.write(ByteBuffer.wrap("hel".getBytes()));
    loop.callLater(
        0.02,
        () -> {
          try {
            client.write(ByteBuffer.wrap("lo".getBytes()));
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    assertThat(loop.runUntilComplete(got)).isEqualTo("hello");
    int after = calls.get();
    client.write(ByteBuffer.wrap("more".getBytes()));
    loop.runUntilComplete(loop.createTask(Coroutines.sleep(30)));
    assertThat(calls.get()).isEqualTo(after);
    assertThat(loop.removeReader(peer)).isFalse();
    peer.configureBlocking(true); // no callback left: the channel left the selector, as in asyncio
    client.close();
    peer.close();
  }

  @Test
  void addWriter_callsBackWhenWritable() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    Future<Void> writable = loop.createFuture();
    loop.addWriter(
        client,
        () -> {
          loop.removeWriter(client);
          writable.setResult(null);
        });
    loop.runUntilComplete(writable);
    client.close();
  }

  @Test
  void loopWaitingInSelector_isWokenByCallSoonThreadsafe() throws Exception {
    loop.addReader(server, () -> {}); // nothing will connect: the loop waits in select
    Future<String> f = loop.createFuture();
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              loop.callSoonThreadsafe(() -> f.setResult("woken"));
            });
    long t0 = System.nanoTime();
    t.start();
    assertThat(loop.runUntilComplete(f)).isEqualTo("woken");
    assertThat(System.nanoTime() - t0).isBetween(90_000_000L, 5_000_000_000L);
    t.join();
  }

  @Test
  void loopWaitingInSelector_manyThreadsafeCallbacks_noneLost() throws Exception {
    loop.addReader(server, () -> {});
    int threads = 4;
    int each = 20_000;
    int[] count = {0};
    Future<Void> all = loop.createFuture();
    for (int i = 0; i < threads; i++) {
      new Thread(
              () -> {
                for (int j = 0; j < each; j++) {
                  loop.callSoonThreadsafe(
                      () -> {
                        if (++count[0] == threads * each) {
                          all.setResult(null);
                        }
                      });
                  if (j % 1000 == 0) {
                    Thread.yield();
                  }
                }
              })
          .start();
    }
    loop.runUntilComplete(all);
    assertThat(count[0]).isEqualTo(threads * each);
  }

  @Test
  void timersBoundTheSelectorWait() throws Exception {
    loop.addReader(server, () -> {});
    long t0 = System.nanoTime();
    await(Coroutines.sleep(50));
    long took = System.nanoTime() - t0;
    // no I/O ever arrives: a selector wait not bounded by the timer never returns, and the
    // class's @Timeout fails the test (no upper bound here: a loaded machine makes it flaky)
    assertThat(took).isGreaterThanOrEqualTo(50_000_000L);
  }

  @Test
  void ioRegisteredFromACallback_whileNoSelectorYet_isServed() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    SocketChannel peer = server.accept();
    Future<Integer> got = loop.createFuture();
    // the loop starts without a selector (park/unpark); the callback registers the first I/O
    loop.callLater(
        0.01,
        () ->
            loop.addReader(
                peer,
                () -> {
                  loop.removeReader(peer);
                  got.setResult(1);
                }));
    loop.callLater(
        0.05,
        () -> {
          try {
            client.write(ByteBuffer.wrap(new byte[] {1}));
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
    assertThat(loop.runUntilComplete(got)).isEqualTo(1);
    client.close();
    peer.close();
  }

  @Test
  void twoRecvsOnOneChannel_cancellingTheFirst_leavesTheSecondWaiting() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    SocketChannel peer = server.accept();
    Task<byte[]> first = loop.createTask(Sockets.sockRecv(peer, 10));
    Task<byte[]> second = loop.createTask(Sockets.sockRecv(peer, 10));
    await(Coroutines.sleep(10)); // both wait for the same readiness
    assertThat(first.isDone()).isFalse();
    assertThat(second.isDone()).isFalse();

    first.cancel();
    client.write(ByteBuffer.wrap("hi".getBytes()));
    assertThat(loop.runUntilComplete(second)).asString().isEqualTo("hi");
    assertThat(first.isCancelled()).isTrue();

    // and after both are gone, the channel is waited on afresh
    client.write(ByteBuffer.wrap("again".getBytes()));
    assertThat(await(Sockets.sockRecv(peer, 10))).asString().isEqualTo("again");
    client.close();
    peer.close();
  }

  @Test
  void twoRecvsOnOneChannel_areServedInTheOrderTheyStarted() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    SocketChannel peer = server.accept();
    Task<byte[]> first = loop.createTask(Sockets.sockRecv(peer, 10));
    Task<byte[]> second = loop.createTask(Sockets.sockRecv(peer, 10));
    await(Coroutines.sleep(10));

    client.write(ByteBuffer.wrap("one".getBytes()));
    assertThat(loop.runUntilComplete(first)).asString().isEqualTo("one");
    await(Coroutines.sleep(10));
    assertThat(second.isDone()).as("nothing more arrived").isFalse();
    client.write(ByteBuffer.wrap("two".getBytes()));
    assertThat(loop.runUntilComplete(second)).asString().isEqualTo("two");
    client.close();
    peer.close();
  }

  @Test
  void twoSendallsOnOneChannel_cancellingTheFirst_theSecondStillCompletes() throws Exception {
    SocketChannel client = SocketChannel.open(address);
    SocketChannel peer = server.accept();
    byte[] big = new byte[8 << 20]; // more than the socket buffers hold: both wait for room
    Task<Void> first = loop.createTask(Sockets.sockSendall(client, big));
    Task<Void> second = loop.createTask(Sockets.sockSendall(client, new byte[] {42}));
    await(Coroutines.sleep(10));
    assertThat(first.isDone()).isFalse();
    assertThat(second.isDone()).isFalse();

    first.cancel();
    // drain the peer until the second send's byte has gone out
    ByteBuffer sink = ByteBuffer.allocate(1 << 20);
    while (!second.isDone()) {
      sink.clear();
      await(Sockets.sockRecvInto(peer, sink));
    }
    loop.runUntilComplete(second);
    assertThat(first.isCancelled()).isTrue();
    client.close();
    peer.close();
  }
}
