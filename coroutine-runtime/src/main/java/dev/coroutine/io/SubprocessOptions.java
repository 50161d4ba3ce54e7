package dev.coroutine.io;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Subprocesses#exec} and {@link Subprocesses#shell} start a program: asyncio's keyword
 * arguments {@code stdin}, {@code stdout}, {@code stderr}, {@code cwd}, {@code env} and {@code
 * limit}. Immutable: each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * SubprocessOptions o = SubprocessOptions.defaults().stdout(Stdio.PIPE).stderr(Stdio.STDOUT);
 * }</pre>
 *
 * <p>The defaults are asyncio's: every stream inherited, the current directory and environment,
 * readers limited to {@link StreamReader#DEFAULT_LIMIT} bytes per line.
 */
public final class SubprocessOptions {
  private static final SubprocessOptions DEFAULTS =
      new SubprocessOptions(
          Stdio.INHERIT, Stdio.INHERIT, Stdio.INHERIT, null, Map.of(), StreamReader.DEFAULT_LIMIT);
  private static final SubprocessOptions PIPES =
      DEFAULTS.stdin(Stdio.PIPE).stdout(Stdio.PIPE).stderr(Stdio.PIPE);

  /** Where the child's stdin comes from. */
  private final Stdio stdin;

  /** Where its stdout goes. */
  private final Stdio stdout;

  /** Where its stderr goes. */
  private final Stdio stderr;

  /** Its working directory, or null for this process's. */
  private final Path directory;

  /** Variables set in (a null value: removed from) the inherited environment. */
  private final Map<String, String> environment;

  /** The buffer limit of the stdout and stderr readers. */
  private final int limit;

  private SubprocessOptions(
      Stdio stdin,
      Stdio stdout,
      Stdio stderr,
      Path directory,
      Map<String, String> environment,
      int limit) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.directory = directory;
    this.environment = environment;
    this.limit = limit;
  }

  /**
   * Every stream inherited, as asyncio's defaults.
   *
   * @return the default options
   */
  public static SubprocessOptions defaults() {
    return DEFAULTS;
  }

  /**
   * stdin, stdout and stderr each a pipe.
   *
   * @return options with all three streams piped
   */
  public static SubprocessOptions pipes() {
    return PIPES;
  }

  /**
   * Where the child's stdin comes from.
   *
   * @param s {@link Stdio#PIPE}, {@link Stdio#INHERIT} or {@link Stdio#DEVNULL}
   * @return a copy with that stdin
   */
  public SubprocessOptions stdin(Stdio s) {
    if (Objects.requireNonNull(s, "stdin") == Stdio.STDOUT) {
      throw new IllegalArgumentException("Stdio.STDOUT is for stderr only, not stdin");
    }
    return new SubprocessOptions(s, stdout, stderr, directory, environment, limit);
  }

  /**
   * Where the child's stdout goes.
   *
   * @param s {@link Stdio#PIPE}, {@link Stdio#INHERIT} or {@link Stdio#DEVNULL}
   * @return a copy with that stdout
   */
  public SubprocessOptions stdout(Stdio s) {
    if (Objects.requireNonNull(s, "stdout") == Stdio.STDOUT) {
      throw new IllegalArgumentException("Stdio.STDOUT is for stderr only, not stdout");
    }
    return new SubprocessOptions(stdin, s, stderr, directory, environment, limit);
  }

  /**
   * Where the child's stderr goes.
   *
   * @param s any {@link Stdio}; {@link Stdio#STDOUT} merges it into stdout
   * @return a copy with that stderr
   */
  public SubprocessOptions stderr(Stdio s) {
    return new SubprocessOptions(
        stdin, stdout, Objects.requireNonNull(s, "stderr"), directory, environment, limit);
  }

  /**
   * The child's working directory (asyncio's {@code cwd}).
   *
   * @param dir the directory, or null for this process's
   * @return a copy with that directory
   */
  public SubprocessOptions directory(Path dir) {
    return new SubprocessOptions(stdin, stdout, stderr, dir, environment, limit);
  }

  /**
   * Sets (or, with a null value, removes) a variable in the environment the child inherits.
   *
   * @param name the variable's name
   * @param value its value, or null to remove it
   * @return a copy with that change
   */
  public SubprocessOptions environment(String name, String value) {
    Map<String, String> env = new LinkedHashMap<>(environment);
    env.put(Objects.requireNonNull(name, "name"), value);
    return new SubprocessOptions(
        stdin, stdout, stderr, directory, Collections.unmodifiableMap(env), limit);
  }

  /**
   * The buffer limit of the stdout and stderr readers (asyncio's {@code limit}).
   *
   * @param bytes the limit, positive
   * @return a copy with that limit
   */
  public SubprocessOptions limit(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("limit must be positive: " + bytes);
    }
    return new SubprocessOptions(stdin, stdout, stderr, directory, environment, bytes);
  }

  /**
   * Where stdin comes from.
   *
   * @return the stdin setting
   */
  public Stdio stdin() {
    return stdin;
  }

  /**
   * Where stdout goes.
   *
   * @return the stdout setting
   */
  public Stdio stdout() {
    return stdout;
  }

  /**
   * Where stderr goes.
   *
   * @return the stderr setting
   */
  public Stdio stderr() {
    return stderr;
  }

  /**
   * The working directory, or null.
   *
   * @return the working directory, or null for this process's
   */
  public Path directory() {
    return directory;
  }

  /**
   * The changes to the inherited environment (a null value removes the variable).
   *
   * @return the environment changes, unmodifiable
   */
  public Map<String, String> environment() {
    return environment;
  }

  /**
   * The readers' buffer limit.
   *
   * @return the limit in bytes
   */
  public int limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "SubprocessOptions[stdin="
        + stdin
        + ", stdout="
        + stdout
        + ", stderr="
        + stderr
        + (directory != null ? ", directory=" + directory : "")
        + (environment.isEmpty() ? "" : ", environment=" + environment.keySet())
        + ", limit="
        + limit
        + "]";
  }
}
