package dev.coroutine.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coroutine.maven.samples.AsyncSample;
import dev.coroutine.maven.samples.PlainSample;
import dev.coroutine.transform.Diagnostic;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin's engine over a real folder: incremental runs, all-or-nothing writes, filters. A fake
 * rewriter stands in for the transformer except in the last test.
 */
class InstrumenterTest {
  private static final byte[] ASYNC = bytesOf(AsyncSample.class);
  private static final byte[] PLAIN = bytesOf(PlainSample.class);

  /** Passes the pre-filter like ASYNC, but the fake refuses it. */
  private static final byte[] BAD = flipLastByte(ASYNC);

  /** What the fake makes of ASYNC: the same bytes plus one (a stand-in for the marker). */
  private static final byte[] REWRITTEN = Arrays.copyOf(ASYNC, ASYNC.length + 1);

  /** The compiler's new output for Good: as long as REWRITTEN, other bytes. */
  private static final byte[] RECOMPILED = recompiled();

  @TempDir Path classes;
  @TempDir Path target;

  /** The relative paths the fake was asked to rewrite, in order. */
  private final List<String> asked = new ArrayList<>();

  private final List<String> details = new ArrayList<>();

  private Instrumenter instrumenter;

  @BeforeEach
  void fakeTransformer() {
    instrumenter =
        new Instrumenter(
            (view, bytes) -> {
              if (Arrays.equals(bytes, ASYNC)) {
                asked.add("async");
                return new TransformResult("x.Good", REWRITTEN.clone(), 1, List.of());
              }
              if (Arrays.equals(bytes, BAD)) {
                asked.add("bad");
                return new TransformResult(
                    "x.Bad", null, 0, List.of(new Diagnostic("x.Bad", "m", "Bad.java", 7, "no")));
              }
              if (Arrays.equals(bytes, REWRITTEN)) {
                asked.add("marked");
                return new TransformResult("x.Good", null, 0, List.of());
              }
              if (Arrays.equals(bytes, RECOMPILED)) {
                asked.add("recompiled");
                return new TransformResult("x.Good", null, 0, List.of());
              }
              throw new AssertionError("unexpected input");
            },
            details::add);
  }

  private Instrumenter.Plan plan(List<String> includes, List<String> excludes) throws IOException {
    return instrumenter.plan(
        classes, new ClassFileFilter(includes, excludes), BuildState.read(stateFile(), "test"));
  }

  private Path stateFile() {
    return target.resolve("instrument.state");
  }

  private void put(String path, byte[] bytes) throws IOException {
    Path file = classes.resolve(path);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
  }

  private byte[] read(String path) throws IOException {
    return Files.readAllBytes(classes.resolve(path));
  }

  @Test
  void firstRun_rewritesClassesUsingCoroutines_only() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/Plain.class", PLAIN);

    Instrumenter.Plan plan = plan(null, null);
    plan.commit(stateFile(), "test");

    assertThat(plan.scanned()).isEqualTo(2);
    assertThat(plan.rewritten()).isEqualTo(1);
    assertThat(plan.methods()).isEqualTo(1);
    assertThat(plan.upToDate()).isZero();
    assertThat(asked).containsExactly("async"); // the plain class never reached the transformer
    assertThat(read("x/Good.class")).isEqualTo(REWRITTEN);
    assertThat(read("x/Plain.class")).isEqualTo(PLAIN);
    assertThat(details).containsExactly("rewrote x/Good.class (1 method)");
  }

  @Test
  void secondRun_overAnUnchangedFolder_readsAndRewritesNothing() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/Plain.class", PLAIN);
    plan(null, null).commit(stateFile(), "test");
    asked.clear();

    Instrumenter.Plan second = plan(null, null);
    second.commit(stateFile(), "test");

    assertThat(second.rewritten()).isZero();
    assertThat(second.upToDate()).isEqualTo(2);
    assertThat(asked).isEmpty();
  }

  @Test
  void secondRun_afterToolsTruncateOrResetTheFileTimes_rewritesNothing() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/Plain.class", PLAIN);
    plan(null, null).commit(stateFile(), "test");
    asked.clear();
    // what maven-jar-plugin 2.4, a millisecond file system or a copy does to the times
    Path good = classes.resolve("x/Good.class");
    long millis = Files.getLastModifiedTime(good).toMillis();
    Files.setLastModifiedTime(good, FileTime.fromMillis(millis));
    Files.setLastModifiedTime(classes.resolve("x/Plain.class"), FileTime.fromMillis(1000));

    Instrumenter.Plan second = plan(null, null);

    assertThat(second.upToDate()).isEqualTo(2);
    assertThat(second.writes()).isEmpty();
    assertThat(asked).isEmpty();
  }

  @Test
  void recompiledClass_withTheSameSizeAndTime_isStillRewritten() throws Exception {
    put("x/Good.class", ASYNC);
    plan(null, null).commit(stateFile(), "test");
    Path good = classes.resolve("x/Good.class");
    FileTime time = Files.getLastModifiedTime(good);
    Files.write(good, RECOMPILED);
    Files.setLastModifiedTime(good, time); // within the same tick of a coarse file system

    plan(null, null);

    assertThat(asked).containsExactly("async", "recompiled");
  }

  @Test
  void withoutState_markedClassesAreLeftAlone() throws Exception {
    put("x/Good.class", ASYNC);
    plan(null, null).commit(stateFile(), "test");
    Files.delete(stateFile());

    Instrumenter.Plan again = plan(null, null);

    assertThat(asked).containsExactly("async", "marked");
    assertThat(again.rewritten()).isZero();
    assertThat(again.writes()).isEmpty();
  }

  @Test
  void recompiledClass_isRewrittenAgain() throws Exception {
    put("x/Good.class", ASYNC);
    plan(null, null).commit(stateFile(), "test");
    put("x/Good.class", ASYNC); // the compiler wrote it again
    Files.setLastModifiedTime(
        classes.resolve("x/Good.class"), FileTime.fromMillis(System.currentTimeMillis() + 5000));

    Instrumenter.Plan again = plan(null, null);
    again.commit(stateFile(), "test");

    assertThat(again.rewritten()).isEqualTo(1);
    assertThat(read("x/Good.class")).isEqualTo(REWRITTEN);
  }

  @Test
  void refusals_areAllCollected_andAPlanThatIsNotCommittedWritesNothing() throws Exception {
    put("x/Bad1.class", BAD);
    put("x/Bad2.class", BAD);
    put("x/Good.class", ASYNC);

    Instrumenter.Plan plan = plan(null, null);

    assertThat(plan.refused()).isEqualTo(2);
    assertThat(plan.diagnostics()).hasSize(2);
    assertThat(plan.diagnostics().get(0).format()).isEqualTo("Bad.java:7: no (in x.Bad.m)");
    assertThat(plan.writes()).hasSize(1);
    // the mojo fails the build here without committing: the folder is as the compiler left it
    assertThat(read("x/Good.class")).isEqualTo(ASYNC);
    assertThat(stateFile()).doesNotExist();
  }

  @Test
  void refusedClasses_areNotRecorded_soTheirErrorsComeBackNextRun() throws Exception {
    put("x/Bad.class", BAD);
    put("x/Good.class", ASYNC);
    plan(null, null).commit(stateFile(), "test"); // as with failOnError=false
    asked.clear();

    Instrumenter.Plan again = plan(null, null);

    assertThat(asked).containsExactly("bad");
    assertThat(again.refused()).isEqualTo(1);
    assertThat(again.upToDate()).isEqualTo(1);
  }

  @Test
  void commit_leavesNoTemporaryFiles() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/y/Good.class", ASYNC);

    plan(null, null).commit(stateFile(), "test");

    assertThat(files(classes)).containsExactly("x/Good.class", "x/y/Good.class");
    assertThat(files(target)).containsExactly("instrument.state");
  }

  @Test
  void includesAndExcludes_chooseTheClasses() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/skip/Good.class", ASYNC);
    put("y/Good.class", ASYNC);

    Instrumenter.Plan plan = plan(List.of("x/**"), List.of("**/skip/**"));
    plan.commit(stateFile(), "test");

    assertThat(plan.scanned()).isEqualTo(1);
    assertThat(read("x/Good.class")).isEqualTo(REWRITTEN);
    assertThat(read("x/skip/Good.class")).isEqualTo(ASYNC);
    assertThat(read("y/Good.class")).isEqualTo(ASYNC);
  }

  @Test
  void transformerCrash_isAnInternalError_namingTheClass() throws Exception {
    put("x/Good.class", ASYNC);
    Instrumenter crashing =
        new Instrumenter(
            (view, b) -> {
              throw new IllegalStateException("boom");
            },
            s -> {});

    assertThatThrownBy(
            () -> crashing.plan(classes, new ClassFileFilter(null, null), BuildState.empty()))
        .isInstanceOf(Instrumenter.TransformerFailure.class)
        .hasMessageContaining("Good.class")
        .hasMessageContaining("boom");
  }

  @Test
  void realTransformer_rewritesTheAsyncClass_onceOnly() throws Exception {
    String path = "dev/coroutine/maven/samples/AsyncSample.class";
    put(path, ASYNC);
    put("dev/coroutine/maven/samples/PlainSample.class", PLAIN);
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter real = new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {});

      Instrumenter.Plan first =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());
      first.commit(stateFile(), "test");
      Instrumenter.Plan second =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());

      assertThat(first.rewritten()).isEqualTo(1);
      assertThat(first.methods()).isEqualTo(1);
      assertThat(read(path)).isNotEqualTo(ASYNC);
      assertThat(second.rewritten()).as("marked classes are not rewritten again").isZero();
      assertThat(second.diagnostics()).isEmpty();
    }
  }

  @Test
  void realTransformer_asyncBridgesFromJavac_areLeftAsCompiled_notRefused() throws Exception {
    String dir = "dev/coroutine/maven/samples/";
    for (String name :
        List.of("BridgeSample", "BridgeSample$1", "BridgeSample$Upper", "BridgeSample$Handler")) {
      put(dir + name + ".class", resource(dir + name + ".class"));
    }
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter real = new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {});

      Instrumenter.Plan plan =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());

      assertThat(plan.diagnostics()).isEmpty();
      assertThat(plan.refused()).isZero();
      // get() and handle(String); their bridges get() and handle(Object) stay as javac made them
      assertThat(plan.rewritten()).isEqualTo(2);
      assertThat(plan.methods()).isEqualTo(2);
    }
  }

  @Test
  void truncatedClass_isReportedAsUnreadable_namingTheFileAndTheDamage_andLeftAsItIs()
      throws Exception {
    byte[] truncated = Arrays.copyOf(ASYNC, ASYNC.length - 7);
    put("x/Cut.class", truncated);
    put("x/Good.class", ASYNC);
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter real = new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {});

      Instrumenter.Plan plan =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());
      plan.commit(stateFile(), "test");

      assertThat(plan.corrupt()).hasSize(1);
      assertThat(plan.corrupt().get(0)).startsWith("x/Cut.class: truncated class file");
      assertThat(plan.rewritten()).isEqualTo(1);
      assertThat(read("x/Cut.class")).isEqualTo(truncated);
      Instrumenter.Plan again =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.read(stateFile(), "test"));
      assertThat(again.corrupt()).as("reported again on the next run").hasSize(1);
    }
  }

  @Test
  void leftoversOfARunKilledWhileWriting_areRemoved_andNothingElse() throws Exception {
    put("x/Good.class", ASYNC);
    put("x/.coroutine-123456789.tmp", ASYNC); // AtomicFiles' temporary name
    put("x/y/.coroutine-42.tmp", PLAIN);
    put("x/coroutine-1.tmp", PLAIN); // not ours: no leading dot
    put("x/.coroutine-notes.txt", PLAIN);

    int removed = Instrumenter.removeLeftovers(classes);

    assertThat(removed).isEqualTo(2);
    assertThat(files(classes))
        .containsExactly(
            "x/.coroutine-notes.txt".replace('/', java.io.File.separatorChar),
            "x/Good.class".replace('/', java.io.File.separatorChar),
            "x/coroutine-1.tmp".replace('/', java.io.File.separatorChar));
    assertThat(Instrumenter.removeLeftovers(classes.resolve("missing"))).isZero();
  }

  @Test
  void realTransformer_catchSwallowingCancellation_isAWarning_andTheClassIsRewritten()
      throws Exception {
    String path = "dev/coroutine/maven/samples/SwallowSample.class";
    put(path, resource(path));
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter real = new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {});

      Instrumenter.Plan plan =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());

      assertThat(plan.diagnostics()).isEmpty();
      assertThat(plan.rewritten()).isEqualTo(1);
      assertThat(plan.warnings()).hasSize(1);
      assertThat(plan.warnings().get(0).format())
          .startsWith(
              "SwallowSample.java:16: catch (Exception) around an await swallows cancellation")
          .endsWith("(in dev.coroutine.maven.samples.SwallowSample.fetch)");
    }
  }

  /**
   * JaCoCo's offline instrumentation bound before the plugin: its restore goal would put back
   * javac's classes after the rewrite (found from outside: a jar of classes never rewritten, and a
   * build that said nothing). The plan names them, for the mojo's warning.
   */
  @Test
  void realTransformer_classInstrumentedByJacocoFirst_isNamed() throws Exception {
    String jacoco = "dev/coroutine/maven/samples/JacocoSample.class";
    String plain = "dev/coroutine/maven/samples/AsyncSample.class";
    put(jacoco, resource(jacoco));
    put(plain, resource(plain));
    try (ClassPathLocator locator = new ClassPathLocator(List.of(classes))) {
      Instrumenter real = new Instrumenter(Instrumenter.Rewriter.transformer(locator), s -> {});

      Instrumenter.Plan plan =
          real.plan(classes, new ClassFileFilter(null, null), BuildState.empty());

      assertThat(plan.rewritten()).isEqualTo(2);
      assertThat(plan.instrumentedBefore()).containsExactly(jacoco);
      assertThat(AbstractInstrumentMojo.jacocoFirst(plan.instrumentedBefore()))
          .contains("1 class was instrumented by JaCoCo offline")
          .contains(jacoco)
          .contains("Declare coroutine-maven-plugin before jacoco-maven-plugin");
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static byte[] recompiled() {
    byte[] b = Arrays.copyOf(ASYNC, ASYNC.length + 1);
    b[b.length - 1] = 7;
    return b;
  }

  private static byte[] flipLastByte(byte[] b) {
    byte[] c = b.clone();
    c[c.length - 1] ^= 1;
    return c;
  }

  private static byte[] resource(String path) {
    try (InputStream in = InstrumenterTest.class.getClassLoader().getResourceAsStream(path)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytesOf(Class<?> c) {
    try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
