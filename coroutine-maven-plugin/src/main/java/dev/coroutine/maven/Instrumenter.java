package dev.coroutine.maven;

import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.Diagnostic;
import dev.coroutine.transform.MalformedClassFileException;
import dev.coroutine.transform.TransformResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The plugin's engine, free of Maven types: rewrites the class files of one folder in two phases.
 * {@link #plan} reads and transforms every chosen class that changed since the last run, in memory,
 * and collects all diagnostics; {@link Plan#commit} then writes the rewritten classes (each to a
 * temporary file moved over the original) and the new {@link BuildState}. A caller that gets
 * diagnostics and wants the build to fail simply does not commit, so the folder stays as it was.
 *
 * <p>Each class is rewritten against the class path as its release sees it ({@link
 * ClassPathLocator.View#of}): a class under {@code META-INF/versions/N/} against the classes of
 * release N, a base class against the base classes.
 */
final class Instrumenter {

  /** Rewrites one class file: the seam between the plugin and the transformer. */
  @FunctionalInterface
  interface Rewriter {
    /**
     * Rewrites {@code classFile}; throws only for internal errors of the transformer.
     *
     * @param view how the class sees the class path (its release, for multi-release classes)
     * @param classFile the class file's bytes
     */
    TransformResult rewrite(ClassPathLocator.View view, byte[] classFile);

    /**
     * The transformer, reading supertypes through {@code locator}: one transformer per view, since
     * each caches the supertypes it reads and those of one release may differ in another.
     */
    static Rewriter transformer(ClassPathLocator locator) {
      Map<ClassPathLocator.View, CoroutineTransformer> transformers = new ConcurrentHashMap<>();
      return (view, classFile) ->
          transformers
              .computeIfAbsent(view, v -> new CoroutineTransformer(locator.view(v)))
              .transform(classFile);
    }
  }

  /** Thrown when the transformer itself fails on a class: an internal error, not a user error. */
  static final class TransformerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TransformerFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A rewritten class waiting to be written. */
  record Write(String path, byte[] bytes) {}

  /**
   * The outcome of {@link #plan}: counts, diagnostics, and what {@link #commit} would write.
   *
   * @param classesDir the folder
   * @param scanned class files chosen by the filter
   * @param upToDate of those, unchanged since the last run (read and hashed, not parsed)
   * @param rewritten classes whose bytes changed
   * @param methods methods (and async lambdas) rewritten in them
   * @param refused classes refused with diagnostics
   * @param diagnostics every diagnostic, in path order
   * @param corrupt the class files that cannot be read, each as {@code path: what is wrong}
   * @param warnings every warning (code rewritten that likely does not do what is meant), in path
   *     order
   * @param writes the rewritten classes
   * @param instrumentedBefore rewritten classes that JaCoCo's offline instrumentation had changed
   *     before (its restore goal would put back a copy from before the rewrite)
   * @param state the state to save after the writes
   */
  record Plan(
      Path classesDir,
      int scanned,
      int upToDate,
      int rewritten,
      int methods,
      int refused,
      List<Diagnostic> diagnostics,
      List<String> corrupt,
      List<Diagnostic> warnings,
      List<Write> writes,
      List<String> instrumentedBefore,
      BuildState state) {

    /**
     * Writes the rewritten classes and then the state file.
     *
     * @param stateFile where the state goes
     * @param pluginVersion recorded in the state file
     */
    void commit(Path stateFile, String pluginVersion) throws IOException {
      for (Write w : writes) {
        Path file = classesDir.resolve(w.path());
        AtomicFiles.write(file, w.bytes());
        state.put(w.path(), BuildState.Stamp.of(w.bytes()));
      }
      state.write(stateFile, pluginVersion);
    }
  }

  /** Does the rewriting. */
  private final Rewriter rewriter;

  /** Receives one line per class processed (the mojo logs them at debug, or info if verbose). */
  private final Consumer<String> detail;

  Instrumenter(Rewriter rewriter, Consumer<String> detail) {
    this.rewriter = rewriter;
    this.detail = detail;
  }

  /**
   * Deletes the temporary files ({@code .coroutine-N.tmp}) that a run killed while writing left
   * under {@code dir}, so they are not packaged with the classes; returns how many.
   */
  static int removeLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    List<Path> leftovers;
    try (Stream<Path> files = Files.walk(dir)) {
      leftovers = files.filter(AtomicFiles::isLeftover).collect(Collectors.toList());
    }
    for (Path p : leftovers) {
      Files.deleteIfExists(p);
    }
    return leftovers.size();
  }

  /**
   * Transforms, in memory, every class file under {@code classesDir} that {@code filter} chooses
   * and that changed since {@code previous}. Writes nothing.
   *
   * <p>A class file the transformer cannot read (truncated, damaged) is listed in {@link
   * Plan#corrupt} and left as it is, like a refused class.
   *
   * @throws IOException if a class file cannot be read
   * @throws TransformerFailure if the transformer fails on a class (an internal error)
   */
  Plan plan(Path classesDir, ClassFileFilter filter, BuildState previous) throws IOException {
    List<String> paths;
    try (Stream<Path> files = Files.walk(classesDir)) {
      paths =
          files
              .filter(Files::isRegularFile)
              .map(p -> classesDir.relativize(p).toString().replace('\\', '/'))
              .filter(filter::matches)
              .sorted()
              .collect(Collectors.toList());
    }
    BuildState next = BuildState.empty();
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    List<Diagnostic> warnings = new ArrayList<>();
    List<Write> writes = new ArrayList<>();
    List<String> instrumentedBefore = new ArrayList<>();
    int upToDate = 0;
    int methods = 0;
    int refused = 0;
    for (String path : paths) {
      Path file = classesDir.resolve(path);
      byte[] bytes = Files.readAllBytes(file);
      BuildState.Stamp stamp = BuildState.Stamp.of(bytes);
      if (previous.isUpToDate(path, stamp)) {
        upToDate++;
        next.put(path, stamp);
        continue;
      }
      if (!CoroutineTransformer.mightNeedTransform(bytes)) {
        next.put(path, stamp);
        continue;
      }
      TransformResult result;
      try {
        result = rewriter.rewrite(ClassPathLocator.View.of(path, bytes), bytes);
      } catch (MalformedClassFileException e) {
        corrupt.add(path + ": " + e.getMessage());
        detail.accept("cannot read " + path + ": " + e.getMessage());
        continue;
      } catch (RuntimeException | LinkageError | StackOverflowError e) {
        throw new TransformerFailure("the transformer failed on " + file + ": " + e, e);
      }
      warnings.addAll(result.warnings());
      if (result.failed()) {
        refused++;
        diagnostics.addAll(result.diagnostics());
        int errors = result.diagnostics().size();
        detail.accept("refused " + path + " (" + errors + (errors == 1 ? " error)" : " errors)"));
      } else if (result.changed()) {
        writes.add(new Write(path, result.bytes()));
        if (instrumentedByJacoco(bytes)) {
          instrumentedBefore.add(path);
        }
        methods += result.methodsRewritten();
        int n = result.methodsRewritten();
        detail.accept("rewrote " + path + " (" + n + (n == 1 ? " method)" : " methods)"));
      } else {
        next.put(path, stamp);
        detail.accept("nothing to rewrite in " + path);
      }
    }
    return new Plan(
        classesDir,
        paths.size(),
        upToDate,
        writes.size(),
        methods,
        refused,
        List.copyOf(diagnostics),
        List.copyOf(corrupt),
        List.copyOf(warnings),
        List.copyOf(writes),
        List.copyOf(instrumentedBefore),
        next);
  }

  /** The name of the field JaCoCo's offline instrumentation adds to each class it changes. */
  private static final byte[] JACOCO_FIELD = "$jacocoData".getBytes(StandardCharsets.US_ASCII);

  /** True if the class file has JaCoCo's probe field: instrumented offline (jacoco:instrument). */
  static boolean instrumentedByJacoco(byte[] classFile) {
    outer:
    for (int i = 0; i <= classFile.length - JACOCO_FIELD.length; i++) {
      for (int j = 0; j < JACOCO_FIELD.length; j++) {
        if (classFile[i + j] != JACOCO_FIELD[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
