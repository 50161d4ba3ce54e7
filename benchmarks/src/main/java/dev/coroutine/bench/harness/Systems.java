package dev.coroutine.bench.harness;

import dev.coroutine.transform.CoroutineTransformer;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who runs each part, on which JDK, with which flags: the systems' names as the table shows them,
 * the JVM flags every system gets, and the list of systems of each part (JMH, process-level
 * children, the echoes). Ours runs twice per JDK: built by the plugin, and as javac wrote it under
 * {@code -javaagent} (the agent rows, when the agent jar and javac's output are there).
 */
final class Systems {
  /** What virtual threads run with: one carrier thread, as every other system has one thread. */
  static final List<String> VT_FLAGS =
      List.of(
          "-Djdk.virtualThreadScheduler.parallelism=1",
          "-Djdk.virtualThreadScheduler.maxPoolSize=1");

  /** Flags of every JMH fork. */
  static final List<String> JMH_FLAGS = List.of("-Xms1g", "-Xmx1g");

  /** Flags of every process-level JVM child. */
  static final List<String> PROC_FLAGS = List.of("-Xmx4g");

  /**
   * Added for W4 and W4', which time rounds in one process: the whole heap committed and touched at
   * start. Without it the young generation grows into pages never touched before, and this VM's
   * first touch of a page cost more than the work: 13-50 ms per W4' round against 5.2 ms
   * pre-touched (ours, JDK 17), in proportion to what each system allocates.
   */
  static final List<String> ROUND_FLAGS = List.of("-Xms4g", "-XX:+AlwaysPreTouch");

  /**
   * Flags of every JVM child of the IO part (echo, multi-core, TLS), every system alike: the heap
   * committed and touched at start, as for W4 ({@link #ROUND_FLAGS}). Each point is warmed up for a
   * second, measured for a few; a system that allocates per message (ours: the line {@code
   * readUntil} returns, 16 KiB at the large size) otherwise spends the measured seconds growing its
   * young generation into pages never touched before, and this VM's first touch of a page costs
   * more than the round trip: ours at 16 KiB and 1,000 connections did 13-21k round trips/s with
   * {@code -Xmx4g} alone and 30-38k pre-touched, Netty (pooled buffers) 24-40k either way.
   */
  static final List<String> IO_FLAGS = concat(PROC_FLAGS, ROUND_FLAGS);

  /**
   * What virtual threads run with in the IO part: two carriers, as ours and Netty run one loop
   * thread for the server and one for the clients.
   */
  static final List<String> IO_VT_FLAGS =
      List.of(
          "-Djdk.virtualThreadScheduler.parallelism=2",
          "-Djdk.virtualThreadScheduler.maxPoolSize=2");

  /** Our workloads built by the plugin: the row every ratio of its JDK divides by. */
  static final String OURS = "ours";

  /** Our workloads as javac wrote them, rewritten at load time by {@code -javaagent}. */
  static final String OURS_AGENT = "ours (agent)";

  /** kotlinx.coroutines under {@code runBlocking}. */
  static final String KOTLIN = "kotlinx.coroutines";

  /** Virtual threads on one carrier (two in the IO part). */
  static final String VT = "virtual threads";

  /** {@code CompletableFuture} chains on one single-thread executor. */
  static final String CF = "CompletableFuture";

  /** Python's asyncio. */
  static final String PY = "asyncio";

  /** Netty (the echoes only). */
  static final String NETTY = "Netty";

  /** W5's yardstick: a plain method call in the same loop. */
  static final String PLAIN = "plain call (W5 yardstick)";

  /** The multi-core row's systems: ours on 2 loops (the row ratios compare to), 1 loop, Netty 2. */
  static final String OURS_ONE_LOOP = "ours, 1 loop";

  /** Netty with two event loops per side (the multi-core row). */
  static final String NETTY_TWO_LOOPS = "Netty, 2 event loops";

  /** Netty with one event loop per side: how far the machine lets a known server scale. */
  static final String NETTY_ONE_LOOP = "Netty, 1 event loop";

  /**
   * The floors of W1', W4', W6 and the IO echo: what the work costs in plain Java with no runtime,
   * the leanest objects a coroutine system needs for it (see {@code SwitchFloor}, {@code
   * GatherFloor}, {@code CallDepthFloor}; {@code EchoFloor}: plain NIO).
   */
  static final String FLOOR = "floor: plain Java, no runtime";

  /** The class that must be javac's output (no coroutine marker) in the plain classes. */
  private static final String PLAIN_PROBE = "dev/coroutine/bench/ours/OursWorkloads.class";

  /** The JDKs and Python. */
  private final Machine machine;

  /** Whether the process-level parts also run on JDK 17 (the full mode). */
  private final boolean processRowsOnJdk17;

  /** The coroutine agent's jar ({@code bench.agentJar}), or "" when not given. */
  private final String agentJar;

  /**
   * The agent rows' class path (javac's output of our workloads first), or null when they cannot
   * run (then a note says why).
   */
  private final String agentClasspath;

  Systems(
      Machine machine,
      boolean processRowsOnJdk17,
      String agentJar,
      String plainClasses,
      String classpath,
      List<String> notes) {
    this.machine = machine;
    this.processRowsOnJdk17 = processRowsOnJdk17;
    this.agentJar = agentJar;
    this.agentClasspath = agentClasspath(agentJar, plainClasses, classpath, notes);
  }

  /**
   * The agent rows' class path: javac's output of our workloads ahead of the harness's class path
   * (whose copies the plugin rewrote), or null with a note when the agent jar or that output is
   * missing, or when the output was rewritten already (the rows would then measure the plugin).
   */
  private static String agentClasspath(
      String agentJar, String plainClasses, String classpath, List<String> notes) {
    if (!agentJar.endsWith(".jar") || !Files.isRegularFile(Path.of(agentJar))) {
      notes.add("ours (agent) rows skipped: no agent jar (bench.agentJar=" + agentJar + ")");
      return null;
    }
    Path probe = Path.of(plainClasses).resolve(PLAIN_PROBE);
    try {
      if (CoroutineTransformer.isTransformed(Files.readAllBytes(probe))) {
        notes.add("ours (agent) rows skipped: " + probe + " was already rewritten by the plugin");
        return null;
      }
    } catch (IOException e) {
      notes.add(
          "ours (agent) rows skipped: no javac output of our workloads at "
              + probe
              + " (bench.plainClasses; built by the plain-classes execution under -Pbench/-Pquick)");
      return null;
    }
    return Path.of(plainClasses).toAbsolutePath() + File.pathSeparator + classpath;
  }

  /** {@code flags} plus the agent, which stops the JVM if it cannot rewrite a class. */
  private List<String> agentFlags(List<String> flags) {
    return concat(flags, List.of("-javaagent:" + agentJar + "=failFast"));
  }

  /** Flags as the table shows them: the agent jar by its name, not its path in ~/.m2. */
  String shown(List<String> flags) {
    String joined = String.join(" ", flags);
    return agentJar.isEmpty() ? joined : joined.replace(agentJar, "coroutine-agent.jar");
  }

  /** The JMH systems (W1, W2, W5, W6), in table order; the agent rows only when they can run. */
  List<JmhSystem> jmh() {
    String java17 = machine.java17();
    String java25 = machine.java25();
    String jdk17 = machine.jdk17Label();
    String jdk25 = machine.jdk25Label();
    List<JmhSystem> l = new ArrayList<>();
    l.add(new JmhSystem(OURS, "ours", jdk25, java25, JMH_FLAGS));
    l.add(new JmhSystem(OURS, "ours", jdk17, java17, JMH_FLAGS));
    if (agentClasspath != null) {
      List<String> flags = agentFlags(JMH_FLAGS);
      l.add(new JmhSystem(OURS_AGENT, "ours", jdk25, java25, flags, agentClasspath));
      l.add(new JmhSystem(OURS_AGENT, "ours", jdk17, java17, flags, agentClasspath));
    }
    l.add(new JmhSystem(KOTLIN, "kotlinx", jdk25, java25, JMH_FLAGS));
    l.add(new JmhSystem(KOTLIN, "kotlinx", jdk17, java17, JMH_FLAGS));
    l.add(new JmhSystem(VT, "virtualThreads", jdk25, java25, concat(JMH_FLAGS, VT_FLAGS)));
    l.add(new JmhSystem(CF, "completableFuture", jdk25, java25, JMH_FLAGS));
    l.add(new JmhSystem(CF, "completableFuture", jdk17, java17, JMH_FLAGS));
    l.add(new JmhSystem(PLAIN, "plainCall", jdk25, java25, JMH_FLAGS));
    l.add(new JmhSystem(FLOOR, "floor", jdk25, java25, JMH_FLAGS));
    l.add(new JmhSystem(FLOOR, "floor", jdk17, java17, JMH_FLAGS));
    return l;
  }

  /**
   * The process-level systems (W3, W4), in table order: ours first (on JDK 25), asyncio last; the
   * JDK 17 rows in the full mode only.
   */
  List<ProcSystem> processLevel() {
    String java17 = machine.java17();
    String java25 = machine.java25();
    String jdk17 = machine.jdk17Label();
    String jdk25 = machine.jdk25Label();
    boolean on17 = processRowsOnJdk17;
    List<ProcSystem> l = new ArrayList<>();
    l.add(new ProcSystem(OURS, "ours", jdk25, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(OURS, "ours", jdk17, java17, PROC_FLAGS));
    }
    if (agentClasspath != null) {
      List<String> flags = agentFlags(PROC_FLAGS);
      l.add(new ProcSystem(OURS_AGENT, "ours", jdk25, java25, flags, agentClasspath));
      if (on17) {
        l.add(new ProcSystem(OURS_AGENT, "ours", jdk17, java17, flags, agentClasspath));
      }
    }
    l.add(new ProcSystem(KOTLIN, "kotlinx", jdk25, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(KOTLIN, "kotlinx", jdk17, java17, PROC_FLAGS));
    }
    l.add(new ProcSystem(VT, "vt", jdk25, java25, concat(PROC_FLAGS, VT_FLAGS)));
    l.add(new ProcSystem(CF, "cf", jdk25, java25, PROC_FLAGS));
    if (on17) {
      l.add(new ProcSystem(CF, "cf", jdk17, java17, PROC_FLAGS));
    }
    l.add(python("python"));
    return l;
  }

  /** Python running the script of a part, keyed {@code key}. */
  ProcSystem python(String key) {
    return new ProcSystem(PY, key, machine.pythonLabel(), null, List.of());
  }

  /** W4''s floor ({@code GatherFloor}) on the process-level JDKs. */
  List<ProcSystem> gatherFloor() {
    List<ProcSystem> l = new ArrayList<>();
    l.add(new ProcSystem(FLOOR, "floor", machine.jdk25Label(), machine.java25(), PROC_FLAGS));
    if (processRowsOnJdk17) {
      l.add(new ProcSystem(FLOOR, "floor", machine.jdk17Label(), machine.java17(), PROC_FLAGS));
    }
    return l;
  }

  /** The IO echo's systems (JDK 25 only). */
  List<ProcSystem> echo() {
    String java25 = machine.java25();
    String jdk25 = machine.jdk25Label();
    return List.of(
        new ProcSystem(OURS, "ours", jdk25, java25, IO_FLAGS),
        new ProcSystem(VT, "vt", jdk25, java25, concat(IO_FLAGS, IO_VT_FLAGS)),
        new ProcSystem(NETTY, "netty", jdk25, java25, IO_FLAGS),
        python("asyncio"),
        new ProcSystem(FLOOR, "floor", jdk25, java25, IO_FLAGS));
  }

  /** The multi-core echo's systems: ours on 2 loops and on 1, Netty on 2 event loops. */
  List<ProcSystem> multiCore() {
    String java25 = machine.java25();
    String jdk25 = machine.jdk25Label();
    List<String> two = concat(IO_FLAGS, List.of("-Decho.loops=2"));
    return List.of(
        new ProcSystem(OURS, "ours", jdk25, java25, two),
        new ProcSystem(
            OURS_ONE_LOOP, "ours", jdk25, java25, concat(IO_FLAGS, List.of("-Decho.loops=1"))),
        new ProcSystem(NETTY_TWO_LOOPS, "netty", jdk25, java25, two),
        new ProcSystem(
            NETTY_ONE_LOOP, "netty", jdk25, java25, concat(IO_FLAGS, List.of("-Decho.loops=1"))));
  }

  /** The TLS echo's systems (issue 15): ours, Netty's SslHandler, virtual threads on SSLSocket. */
  List<ProcSystem> tls() {
    String java25 = machine.java25();
    String jdk25 = machine.jdk25Label();
    return List.of(
        new ProcSystem(OURS, "ours-tls", jdk25, java25, IO_FLAGS),
        new ProcSystem(VT, "vt-tls", jdk25, java25, concat(IO_FLAGS, IO_VT_FLAGS)),
        new ProcSystem(NETTY, "netty-tls", jdk25, java25, IO_FLAGS));
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }
}
