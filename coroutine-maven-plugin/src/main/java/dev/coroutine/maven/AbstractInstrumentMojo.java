package dev.coroutine.maven;

import dev.coroutine.transform.Diagnostic;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What both goals share: the parameters, the {@code skip} check in a final {@link #execute}, and
 * one run of the {@link Instrumenter} over a classes folder.
 *
 * <p>A run reads the state left by the previous one, transforms every chosen class that changed
 * since, in memory, and only then writes: if any class is refused and {@code failOnError} is set,
 * it logs every diagnostic and fails the build without writing anything, so the folder stays as the
 * compiler left it. Problems in user code end in a {@link MojoFailureException}; problems of the
 * build itself (unreadable files, an internal error of the transformer) in a {@link
 * MojoExecutionException}.
 */
public abstract class AbstractInstrumentMojo extends AbstractMojo {

  /** The project being built. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  /** This plugin's version, recorded in the state file (another version starts afresh). */
  @Parameter(defaultValue = "${plugin.version}", readonly = true, required = true)
  protected String pluginVersion;

  /** Skips the goal: no class is read or written. */
  @Parameter(property = "coroutine.skip", defaultValue = "false")
  protected boolean skip;

  /**
   * Ant-style patterns, relative to the classes folder, of the class files to instrument, such as
   * {@code com/example/**}. Default: every class file ({@code **}{@code /*.class}).
   */
  @Parameter protected List<String> includes;

  /**
   * Ant-style patterns, relative to the classes folder, of class files to leave alone even if
   * included, such as {@code **}{@code /generated/**}.
   */
  @Parameter protected List<String> excludes;

  /**
   * Fails the build if any class is refused (for example {@code await} in a method that is not
   * {@code @Async}); nothing is written then. With {@code false}, the refusals are logged as
   * warnings, refused classes are left as compiled, and the others are rewritten.
   */
  @Parameter(property = "coroutine.failOnError", defaultValue = "true")
  protected boolean failOnError;

  /** Logs one line per class (rewritten, refused, nothing to rewrite) at info level. */
  @Parameter(property = "coroutine.verbose", defaultValue = "false")
  protected boolean verbose;

  /**
   * Runs the goal unless {@code skip} is set.
   *
   * @throws MojoFailureException if a class is refused and {@code failOnError} is set
   * @throws MojoExecutionException if the classes cannot be read or written, or the transformer
   *     fails internally
   */
  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("coroutine: skipped (coroutine.skip)");
      return;
    }
    Path classes = classesDirectory().toPath();
    if (!Files.isDirectory(classes)) {
      getLog().info("coroutine: no " + display(classes) + ", nothing to instrument");
      return;
    }
    instrument(classes);
  }

  /**
   * The folder whose classes this goal rewrites.
   *
   * @return {@code target/classes} or {@code target/test-classes}
   */
  protected abstract File classesDirectory();

  /**
   * The class path used to read supertypes: the goal's scope, output folders included.
   *
   * @return the class path entries, as paths
   * @throws DependencyResolutionRequiredException if Maven has not resolved the goal's dependencies
   */
  protected abstract List<String> classPathElements() throws DependencyResolutionRequiredException;

  /**
   * The goal's name, which also names its state file.
   *
   * @return {@code instrument} or {@code instrument-tests}
   */
  protected abstract String goalName();

  private void instrument(Path classes) throws MojoExecutionException, MojoFailureException {
    long start = System.nanoTime();
    Path stateFile =
        Path.of(project.getBuild().getDirectory(), "coroutine-maven-plugin", goalName() + ".state");
    List<Path> classPath = new ArrayList<>();
    classPath.add(classes);
    try {
      for (String element : classPathElements()) {
        classPath.add(Path.of(element));
      }
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("coroutine: the class path is not resolved", e);
    }

    try {
      int removed =
          Instrumenter.removeLeftovers(classes)
              + Instrumenter.removeLeftovers(stateFile.getParent());
      if (removed > 0) {
        getLog()
            .info(
                "coroutine: removed "
                    + count(removed, "temporary file", "temporary files")
                    + " left by an interrupted run");
      }
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException(
          "coroutine: cannot remove temporary files left in " + display(classes) + ": " + e, e);
    }

    Instrumenter.Plan plan;
    try (ClassPathLocator locator = new ClassPathLocator(classPath)) {
      Instrumenter instrumenter =
          new Instrumenter(
              Instrumenter.Rewriter.transformer(locator),
              line -> {
                if (verbose) {
                  getLog().info("coroutine: " + line);
                } else {
                  getLog().debug("coroutine: " + line);
                }
              });
      plan =
          instrumenter.plan(
              classes,
              new ClassFileFilter(includes, excludes),
              BuildState.read(stateFile, pluginVersion));
    } catch (IOException | UncheckedIOException e) {
      throw new MojoExecutionException("coroutine: cannot read " + display(classes) + ": " + e, e);
    } catch (Instrumenter.TransformerFailure e) {
      throw new MojoExecutionException(
          "coroutine: internal error, please report it: " + e.getMessage(), e.getCause());
    }

    if (plan.scanned() == 0) {
      warnIfFilterMatchedNothing(classes);
    }
    for (Diagnostic w : plan.warnings()) {
      getLog().warn(w.format());
    }
    if (!plan.instrumentedBefore().isEmpty()) {
      getLog().warn(jacocoFirst(plan.instrumentedBefore()));
    }
    List<String> corrupt = new ArrayList<>();
    for (String c : plan.corrupt()) {
      corrupt.add("cannot read " + display(classes) + "/" + c);
    }
    if ((!plan.diagnostics().isEmpty() || !corrupt.isEmpty()) && failOnError) {
      for (Diagnostic d : plan.diagnostics()) {
        getLog().error(d.format());
      }
      for (String c : corrupt) {
        getLog().error(c);
      }
      getLog()
          .info(
              String.format(
                  Locale.ROOT,
                  "coroutine: %s: %s scanned, %d refused, %d unreadable; nothing written, in %d ms",
                  display(plan.classesDir()),
                  count(plan.scanned(), "class", "classes"),
                  plan.refused(),
                  corrupt.size(),
                  (System.nanoTime() - start) / 1_000_000));
      StringBuilder message = new StringBuilder("coroutine: ");
      if (plan.refused() > 0) {
        message.append(count(plan.refused(), "class", "classes")).append(" refused");
      }
      if (!corrupt.isEmpty()) {
        message
            .append(plan.refused() > 0 ? ", " : "")
            .append(count(corrupt.size(), "class file", "class files"))
            .append(" unreadable");
      }
      message.append("; nothing was written (set failOnError=false to rewrite the others):");
      for (Diagnostic d : plan.diagnostics()) {
        message.append(System.lineSeparator()).append(d.format());
      }
      for (String c : corrupt) {
        message.append(System.lineSeparator()).append(c);
      }
      throw new MojoFailureException(message.toString());
    }
    for (Diagnostic d : plan.diagnostics()) {
      getLog().warn(d.format());
    }
    for (String c : corrupt) {
      getLog().warn(c + " (left as it is)");
    }
    try {
      plan.commit(stateFile, pluginVersion);
    } catch (IOException e) {
      throw new MojoExecutionException("coroutine: cannot write " + display(classes) + ": " + e, e);
    }
    getLog().info(summary(plan, start));
  }

  /**
   * Warns when includes or excludes left none of the folder's class files (a typo in a package name
   * would otherwise pass silently, and the classes run unrewritten).
   */
  private void warnIfFilterMatchedNothing(Path classes) {
    boolean filtered =
        includes != null && !includes.isEmpty() || excludes != null && !excludes.isEmpty();
    if (!filtered) {
      return;
    }
    long all;
    try (java.util.stream.Stream<Path> files = Files.walk(classes)) {
      all = files.filter(p -> p.toString().endsWith(".class")).count();
    } catch (IOException | UncheckedIOException e) {
      return; // the scan itself read the folder: nothing more to say here
    }
    if (all > 0) {
      getLog()
          .warn(
              "coroutine: includes "
                  + (includes == null ? List.of() : includes)
                  + " and excludes "
                  + (excludes == null ? List.of() : excludes)
                  + " match none of the "
                  + count((int) Math.min(all, Integer.MAX_VALUE), "class file", "class files")
                  + " in "
                  + display(classes)
                  + ": nothing was rewritten (patterns match paths such as"
                  + " com/example/**/*.class)");
    }
  }

  /**
   * The warning for classes JaCoCo instrumented offline before this plugin ran: its
   * restore-instrumented-classes goal copies back what it saved before instrumenting, which is
   * javac's output, so the jar would hold classes that fail at their first await.
   */
  static String jacocoFirst(List<String> paths) {
    return "coroutine: "
        + paths.size()
        + (paths.size() == 1 ? " class was" : " classes were")
        + " instrumented by JaCoCo offline (jacoco:instrument) before this plugin rewrote them ("
        + String.join(", ", paths.subList(0, Math.min(3, paths.size())))
        + (paths.size() > 3 ? ", ..." : "")
        + "): jacoco:restore-instrumented-classes would put back its copies from before the"
        + " rewrite, and the jar would hold classes that fail with \"await() called in ... which"
        + " was not instrumented\". Declare coroutine-maven-plugin before jacoco-maven-plugin in"
        + " the POM, so that it runs first in process-classes";
  }

  /** The one summary line of a run. */
  private String summary(Instrumenter.Plan plan, long start) {
    long millis = (System.nanoTime() - start) / 1_000_000;
    return String.format(
        Locale.ROOT,
        "coroutine: %s: %s scanned (%d unchanged since the last run), %s rewritten (%s),"
            + " %d refused, in %d ms",
        display(plan.classesDir()),
        count(plan.scanned(), "class", "classes"),
        plan.upToDate(),
        count(plan.rewritten(), "class", "classes"),
        count(plan.methods(), "method", "methods"),
        plan.refused() + plan.corrupt().size(),
        millis);
  }

  private String display(Path path) {
    Path base = project.getBasedir() == null ? null : project.getBasedir().toPath();
    return base != null && path.startsWith(base)
        ? base.relativize(path).toString()
        : path.toString();
  }

  private static String count(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }
}
