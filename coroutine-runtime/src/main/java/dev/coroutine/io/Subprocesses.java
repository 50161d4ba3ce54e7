package dev.coroutine.io;

import dev.coroutine.Coroutine;
import dev.coroutine.EventLoop;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Starting programs on the running loop: asyncio's {@code create_subprocess_exec} ({@link #exec})
 * and {@code create_subprocess_shell} ({@link #shell}). The result is a {@link Subprocess} whose
 * piped streams are the usual {@link StreamReader}/{@link StreamWriter}.
 *
 * <pre>{@code
 * Subprocess p = await(Subprocesses.exec(SubprocessOptions.defaults().stdout(Stdio.PIPE), "ls", "-l"));
 * String line;
 * while ((line = await(p.stdout().readLine())) != null) { ... }
 * int code = await(p.waitFor());
 * }</pre>
 *
 * <p>The program starts when the returned coroutine is awaited, on the loop thread (as in asyncio:
 * a fork and exec, a millisecond or a few). A program that cannot be run fails that await with the
 * JDK's {@link IOException}, which names it ({@code Cannot run program "x": error=2, No such file
 * or directory}).
 */
public final class Subprocesses {
  private Subprocesses() {}

  /**
   * Starts {@code argv} with every stream inherited.
   *
   * @param argv the program and its arguments
   * @return a coroutine whose result is the started subprocess
   * @throws IOException not by this call: where the returned coroutine is awaited, if the program
   *     cannot be run; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Subprocess> exec(String... argv) throws IOException {
    return exec(SubprocessOptions.defaults(), argv);
  }

  /**
   * Starts {@code argv} as {@code options} say.
   *
   * @param options the streams, directory, environment and reader limit
   * @param argv the program and its arguments
   * @return a coroutine whose result is the started subprocess
   * @throws IOException not by this call: where the returned coroutine is awaited, if the program
   *     cannot be run; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Subprocess> exec(SubprocessOptions options, String... argv)
      throws IOException {
    return exec(List.of(argv), options);
  }

  /**
   * Starts {@code argv} as {@code options} say.
   *
   * @param argv the program and its arguments, at least the program
   * @param options the streams, directory, environment and reader limit
   * @return a coroutine whose result is the started subprocess
   * @throws IOException not by this call: where the returned coroutine is awaited, if the program
   *     cannot be run; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Subprocess> exec(List<String> argv, SubprocessOptions options)
      throws IOException {
    Objects.requireNonNull(options, "options");
    List<String> args = new ArrayList<>(argv); // also rejects null elements below
    if (args.isEmpty()) {
      throw new IllegalArgumentException("exec needs at least the program to run");
    }
    for (int i = 0; i < args.size(); i++) {
      Objects.requireNonNull(args.get(i), "argv[" + i + "]");
    }
    return IoFrames.lazy(
        () -> {
          EventLoop loop = EventLoop.running();
          try {
            return IoFrames.completed(loop, Subprocess.start(loop, args, options));
          } catch (IOException e) {
            return IoFrames.failed(loop, e);
          }
        });
  }

  /**
   * Runs {@code command} with the system shell ({@code /bin/sh -c}; {@code cmd.exe /c} on Windows),
   * every stream inherited.
   *
   * @param command the command line, as the shell reads it
   * @return a coroutine whose result is the started subprocess (the shell)
   * @throws IOException not by this call: where the returned coroutine is awaited, if the shell
   *     cannot be run; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Subprocess> shell(String command) throws IOException {
    return shell(command, SubprocessOptions.defaults());
  }

  /**
   * Runs {@code command} with the system shell as {@code options} say. As with asyncio, quoting the
   * arguments is the caller's job; a command the shell cannot find makes the shell exit with 127
   * rather than fail the await.
   *
   * @param command the command line, as the shell reads it
   * @param options the streams, directory, environment and reader limit
   * @return a coroutine whose result is the started subprocess (the shell)
   * @throws IOException not by this call: where the returned coroutine is awaited, if the shell
   *     cannot be run; declared here so that a {@code catch} around the call compiles
   */
  public static Coroutine<Subprocess> shell(String command, SubprocessOptions options)
      throws IOException {
    Objects.requireNonNull(command, "command");
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
    return exec(
        windows ? List.of("cmd.exe", "/c", command) : List.of("/bin/sh", "-c", command), options);
  }
}
