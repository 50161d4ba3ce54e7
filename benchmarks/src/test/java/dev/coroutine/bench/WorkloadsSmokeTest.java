package dev.coroutine.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coroutine.bench.cf.FutureWorkloads;
import dev.coroutine.bench.floor.CallDepthFloor;
import dev.coroutine.bench.floor.EchoFloor;
import dev.coroutine.bench.floor.GatherFloor;
import dev.coroutine.bench.floor.SwitchFloor;
import dev.coroutine.bench.io.EchoBench;
import dev.coroutine.bench.kt.KotlinWorkloads;
import dev.coroutine.bench.ours.OursWorkloads;
import dev.coroutine.bench.vt.VirtualThreadWorkloads;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every system's implementation of every workload, at a tiny size, computes the same checksum: the
 * comparison measures the same work everywhere. Runs in the normal build; measuring is left to the
 * harness (see README.md).
 */
class WorkloadsSmokeTest {
  private static FutureWorkloads cf;

  @BeforeAll
  static void start() {
    cf = new FutureWorkloads();
  }

  @AfterAll
  static void stop() {
    cf.close();
  }

  @Test
  void yieldCycle_returnsTheCount_onEverySystem() {
    assertThat(OursWorkloads.yieldCycle(1000)).isEqualTo(1000);
    assertThat(KotlinWorkloads.yieldCycle(1000)).isEqualTo(1000);
    assertThat(cf.yieldCycle(1000)).isEqualTo(1000);
  }

  @Test
  void yieldPair_returnsBothCounts_onEverySystem() {
    assertThat(OursWorkloads.yieldPair(1000)).isEqualTo(2000);
    assertThat(KotlinWorkloads.yieldPair(1000)).isEqualTo(2000);
    assertThat(cf.yieldPair(1000)).isEqualTo(2000);
    assertThat(SwitchFloor.yieldPair(1000)).isEqualTo(2000);
  }

  @Test
  void pingPong_sumsTheReplies_onEverySystem() {
    long expected = 500L * 501 / 2;
    assertThat(OursWorkloads.pingPong(500)).isEqualTo(expected);
    assertThat(KotlinWorkloads.pingPong(500)).isEqualTo(expected);
    assertThat(cf.pingPong(500)).isEqualTo(expected);
  }

  @Test
  void sleepers_allWakeAndTheProbeSeesThemAsleep_onEverySystem() throws Exception {
    List<Integer> phases = new ArrayList<>();
    assertThat(OursWorkloads.sleepers(200, 500, phases::add)).isEqualTo(200);
    assertThat(KotlinWorkloads.sleepers(200, 500, phases::add)).isEqualTo(200);
    assertThat(cf.sleepers(200, 500, phases::add)).isEqualTo(200);
    assertThat(phases).containsExactly(Phase.BASELINE, 0, Phase.BASELINE, 0, Phase.BASELINE, 0);
  }

  @Test
  void gatherFanOut_sumsTheIndexes_onEverySystem() {
    long expected = 1000L * 999 / 2;
    assertThat(OursWorkloads.gatherFanOut(1000)).isEqualTo(expected);
    assertThat(KotlinWorkloads.gatherFanOut(1000)).isEqualTo(expected);
    assertThat(cf.gatherFanOut(1000)).isEqualTo(expected);
    // W4': children that finish without suspending (ours, CompletableFuture and the floor)
    assertThat(OursWorkloads.gatherFinishedFanOut(1000)).isEqualTo(expected);
    assertThat(cf.gatherFinishedFanOut(1000)).isEqualTo(expected);
    assertThat(GatherFloor.gatherFinished(1000)).isEqualTo(expected);
  }

  @Test
  void fastPath_sumsTheValue_onEverySystem() {
    assertThat(OursWorkloads.fastPath(1000)).isEqualTo(1000);
    assertThat(KotlinWorkloads.fastPath(1000)).isEqualTo(1000);
    assertThat(cf.fastPath(1000)).isEqualTo(1000);
  }

  @Test
  void callDepth_countsTheLevels_onEverySystem() {
    assertThat(OursWorkloads.callDepth(3, 1000)).isEqualTo(3000);
    assertThat(CallDepthFloor.callDepth(3, 1000)).isEqualTo(3000);
    assertThat(KotlinWorkloads.callDepth(3, 1000)).isEqualTo(3000);
    assertThat(cf.callDepth(3, 1000)).isEqualTo(3000);
  }

  @Test
  void virtualThreads_computeTheSameChecksums_onJdk21Plus() throws Exception {
    assumeTrue(VirtualThreadWorkloads.available(), "virtual threads need JDK 21+");
    assertThat(VirtualThreadWorkloads.yieldCycle(1000)).isEqualTo(1000);
    assertThat(VirtualThreadWorkloads.yieldPair(1000)).isEqualTo(2000);
    assertThat(VirtualThreadWorkloads.pingPong(500)).isEqualTo(500L * 501 / 2);
    List<Integer> phases = new ArrayList<>();
    assertThat(VirtualThreadWorkloads.sleepers(200, 500, phases::add)).isEqualTo(200);
    assertThat(phases).containsExactly(Phase.BASELINE, 0);
    assertThat(VirtualThreadWorkloads.gatherFanOut(1000)).isEqualTo(1000L * 999 / 2);
    assertThat(VirtualThreadWorkloads.fastPath(1000)).isEqualTo(1000);
    assertThat(VirtualThreadWorkloads.callDepth(3, 1000)).isEqualTo(3000);
  }

  @Test
  void echoNettyMode_completesRoundTripsWithCorrectEchoes_atTwoConnections() throws Throwable {
    // NettyEcho compares every echoed line with the line sent and throws on a mismatch
    assertThat(roundTripsWithin(s -> EchoBench.measure("netty", 2, s))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void echoFloor_completesRoundTrips_withShortLines_andWithLinesThatArriveInPieces()
      throws Throwable {
    // the client counts a round trip only once all of its line came back, newline last
    assertThat(roundTripsWithin(s -> EchoFloor.run(2, s, EchoBench.line(32))))
        .isGreaterThanOrEqualTo(2);
    assertThat(roundTripsWithin(s -> EchoFloor.run(2, s, EchoBench.line(512 * 1024))))
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void echoOursOnTwoLoops_completesRoundTrips_atTwoConnections() throws Throwable {
    // a GroupServer on a group of 2 loops, the clients spread over another group of 2
    assertThat(roundTripsWithin(s -> EchoBench.oursGroup(2, s, 2))).isGreaterThanOrEqualTo(2);
  }

  /** A run of the echo benchmark for a given number of seconds: its round trips per second. */
  interface EchoRun {
    double run(double seconds) throws Throwable;
  }

  /**
   * Round trips done by {@code run}: first in 0.3 s, then, if fewer than 2 were done (a loaded
   * machine spends the time connecting), in twice the time, up to 9.6 s. Counts work done, not
   * speed.
   */
  private static double roundTripsWithin(EchoRun run) throws Throwable {
    double done = 0;
    for (double seconds = 0.3; seconds < 10 && done < 2; seconds *= 2) {
      done = run.run(seconds) * seconds;
    }
    return done;
  }

  @Test
  void echoTlsModes_oursAndNetty_completeRoundTripsOverTls_atTwoConnections() throws Throwable {
    // the clock starts after both handshakes: a rate means round trips went over TLS
    assertThat(EchoBench.measure("ours-tls", 2, 0.3) * 0.3).isGreaterThanOrEqualTo(2);
    assertThat(EchoBench.measure("netty-tls", 2, 0.3) * 0.3).isGreaterThanOrEqualTo(2);
  }

  @Test
  void asyncioScript_runsEveryMicroWorkload() throws Exception {
    String python = System.getProperty("python", "python3");
    for (String[] args :
        new String[][] {
          {"w1", "100", "1"}, {"w2", "100", "1"}, {"w5", "100", "1"}, {"w6", "2", "50", "1"}
        }) {
      List<String> cmd = new ArrayList<>(List.of(python, "src/main/python/bench_asyncio.py"));
      cmd.addAll(List.of(args));
      Process p;
      try {
        p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      } catch (java.io.IOException e) {
        assumeTrue(false, "no " + python + ": " + e.getMessage());
        return;
      }
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as(out).isZero();
      assertThat(out).contains("RESULT ns_per_op=").contains("RESULT peak_rss_kb=");
    }
  }
}
