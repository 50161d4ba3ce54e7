package dev.coroutine.io;

/**
 * Where a subprocess's stdin, stdout or stderr goes (asyncio's {@code subprocess.PIPE}, {@code
 * None}, {@code DEVNULL} and {@code STDOUT}); see {@link SubprocessOptions}.
 */
public enum Stdio {
  /**
   * A pipe to this process: {@link Subprocess#stdin()} writes to it, {@link Subprocess#stdout()} /
   * {@link Subprocess#stderr()} read from it.
   */
  PIPE,
  /** The child shares this process's stream (asyncio's {@code None}, the default). */
  INHERIT,
  /** Nothing: stdin reads end of file at once, output is thrown away ({@code /dev/null}). */
  DEVNULL,
  /** stderr only: merged into whatever stdout is (asyncio's {@code subprocess.STDOUT}). */
  STDOUT
}
