package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.EventLoop;
import dev.coroutine.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A server accepting on every loop of a group: SO_REUSEPORT and the single acceptor. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hung loop must fail
class GroupServerTest {
  private static final String HOST = "127.0.0.1";

  /** An echo handler that records the loop serving each connection. */
  private static StreamHandler recordingEcho(List<EventLoop> servedBy) {
    return (r, w) -> {
      servedBy.add(EventLoop.running());
      return StreamsTest.echoLines(r, w);
    };
  }

  /** Connects, sends a line, reads it back, closes: one blocking client round trip. */
  private static String roundTrip(int port, String line) throws Exception {
    try (Socket s = new Socket(HOST, port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      return in.readLine();
    }
  }

  private static Map<EventLoop, Integer> perLoop(List<EventLoop> servedBy) {
    Map<EventLoop, Integer> m = new HashMap<>();
    for (EventLoop l : servedBy) {
      m.merge(l, 1, Integer::sum);
    }
    return m;
  }

  @Test
  void reusePort_everyLoopListensOnTheSamePort_connectionsSpreadAndEcho() throws Exception {
    try (EventLoopGroup group = new EventLoopGroup(2, "reuse")) {
      List<EventLoop> servedBy = new CopyOnWriteArrayList<>();
      GroupServer server =
          GroupServer.start(group, recordingEcho(servedBy), HOST, 0).get(20, TimeUnit.SECONDS);
      assertThat(server.reusesPort()).isEqualTo(GroupServer.reusePortSupported());
      assertThat(server.servers()).hasSize(2);
      for (int i = 0; i < 40; i++) {
        assertThat(roundTrip(server.port(), "line " + i)).isEqualTo("line " + i);
      }
      assertThat(servedBy).hasSize(40);
      // the kernel hashes each connection to one of the two sockets: all 40 on one loop would
      // be a 1-in-2^39 event
      assertThat(perLoop(servedBy)).containsOnlyKeys(group.loops());
      server.close().get(20, TimeUnit.SECONDS);
      // refused, or reset: the JDK finishes closing a selector-registered listening socket at the
      // selector's next pass, so a connect racing that pass can land in its backlog and be reset
      assertThatThrownBy(() -> roundTrip(server.port(), "after close"))
          .isInstanceOf(SocketException.class);
    }
  }

  @Test
  void oneAcceptor_handsConnectionsOutRoundRobin() throws Exception {
    try (EventLoopGroup group = new EventLoopGroup(3, "acceptor")) {
      List<EventLoop> servedBy = new CopyOnWriteArrayList<>();
      GroupServer server =
          GroupServer.start(group, recordingEcho(servedBy), HOST, 0, false)
              .get(20, TimeUnit.SECONDS);
      assertThat(server.reusesPort()).isFalse();
      for (int i = 0; i < 9; i++) {
        assertThat(roundTrip(server.port(), "x" + i)).isEqualTo("x" + i);
      }
      assertThat(servedBy).hasSize(9);
      assertThat(servedBy.subList(0, 3)).containsExactlyElementsOf(group.loops()); // in turn
      assertThat(perLoop(servedBy)).allSatisfy((l, n) -> assertThat(n).isEqualTo(3));
      server.close().get(20, TimeUnit.SECONDS);
      // refused, or reset (the same race as above: seen once in a full build)
      assertThatThrownBy(() -> roundTrip(server.port(), "after close"))
          .isInstanceOf(SocketException.class);
    }
  }

  @Test
  void start_portTaken_failsAndClosesWhatItBound() throws Exception {
    try (EventLoopGroup group = new EventLoopGroup(2, "taken");
        java.net.ServerSocket taken =
            new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName(HOST))) {
      assertThat(
              GroupServer.start(
                  group, recordingEcho(new CopyOnWriteArrayList<>()), HOST, taken.getLocalPort()))
          .failsWithin(20, TimeUnit.SECONDS)
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withCauseInstanceOf(java.net.BindException.class);
    }
  }

  @Test
  void groupShutdown_closesTheServersWithTheLoops() throws Exception {
    EventLoopGroup group = new EventLoopGroup(2, "down");
    GroupServer server =
        GroupServer.start(group, recordingEcho(new CopyOnWriteArrayList<>()), HOST, 0)
            .get(20, TimeUnit.SECONDS);
    assertThat(roundTrip(server.port(), "up")).isEqualTo("up");
    group.close();
    assertThatThrownBy(() -> roundTrip(server.port(), "down")).isInstanceOf(ConnectException.class);
    assertThat(server.close()).succeedsWithin(5, TimeUnit.SECONDS); // loops closed: nothing to do
  }
}
