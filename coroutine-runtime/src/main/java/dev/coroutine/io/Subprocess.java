package dev.coroutine.io;

import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.Task;
import dev.coroutine.internal.Futures;
import dev.coroutine.internal.RuntimeHandoff;
import java.io.File;
import java.io.IOException;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A child process started by {@link Subprocesses#exec} or {@link Subprocesses#shell}: asyncio's
 * {@code asyncio.subprocess.Process}. Its piped streams are a {@link StreamWriter} ({@link
 * #stdin()}) and {@link StreamReader}s ({@link #stdout()}, {@link #stderr()}) on the loop that
 * started it; its exit is awaited with {@link #waitFor()}.
 *
 * <pre>{@code
 * Subprocess p = await(Subprocesses.exec(SubprocessOptions.pipes(), "sort"));
 * Subprocess.Output out = await(p.communicate("b\na\n".getBytes()));   // out.stdout(): "a\nb\n"
 * }</pre>
 *
 * <p>How the pipes are served: on Linux the child is redirected to NIO pipes that the loop's
 * selector reads and writes like sockets, with no thread per pipe ({@link ChildPipes}). Elsewhere
 * (or with {@code -Dcoroutine.subprocess.pipes=threads}) the JDK's blocking pipes are pumped into
 * NIO pipes by one daemon thread per piped stream, which ends with the stream. Either way the JDK
 * watches each live child with a thread of its own ("process reaper", blocked in {@code waitpid}),
 * which is what completes {@link #waitFor()}.
 *
 * <p>Invariant: {@link #exit} completes, on the loop thread, once the JDK reports the exit; the
 * stdin pipe is closed then unless output is still queued for it (a write to a pipe nobody reads
 * fails and closes it). The stdout and stderr pipes close at their end of file, which comes once
 * the child and every process it passed them to have closed them. Loop-affine, like the streams.
 */
public final class Subprocess {
  /** The loop whose streams and futures these are. */
  private final EventLoop loop;

  /** The JDK's handle on the child. */
  private final Process process;

  /** The command line, for messages. */
  private final List<String> argv;

  /** Writes to the child's stdin, or null if it is not piped. */
  private final StreamWriter stdin;

  /** Reads the child's stdout, or null if it is not piped. */
  private final StreamReader stdout;

  /** Reads the child's stderr, or null if it is not piped (or merged into stdout). */
  private final StreamReader stderr;

  /** Completed on the loop with the exit code once the child has exited. */
  private final Future<Integer> exit;

  /** True if the pipes are pumped by threads (no {@code /proc/self/fd} here). */
  private final boolean pumped;

  private Subprocess(
      EventLoop loop,
      Process process,
      List<String> argv,
      StreamWriter stdin,
      StreamReader stdout,
      StreamReader stderr,
      boolean pumped) {
    this.loop = loop;
    this.process = process;
    this.argv = argv;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.pumped = pumped;
    this.exit = loop.createFuture();
    process
        .onExit()
        .whenComplete(
            (p, e) -> {
              try {
                loop.callSoonThreadsafe((RuntimeHandoff) this::exited);
              } catch (IllegalStateException loopClosed) {
                // nobody is left to tell: the loop closed the pipes with its other channels
              }
            });
  }

  /** On the loop: the child exited. */
  private void exited() {
    if (!exit.isDone()) {
      exit.setResult(process.exitValue());
    }
    if (stdin != null && stdin.getWriteBufferSize() == 0) {
      // nobody reads it any more (unless a grandchild inherited it): later writes are dropped and
      // drain() says why
      ((SelectorTransport) stdin.transport())
          .readerGone(new IOException("Connection lost: the child process exited (its stdin)"));
    }
  }

  // ---- starting ----------------------------------------------------------------------------

  /**
   * Starts {@code argv} on {@code loop} now: the subprocess, or the {@link IOException} of a
   * program that cannot be run (it names the program).
   */
  static Subprocess start(EventLoop loop, List<String> argv, SubprocessOptions o)
      throws IOException {
    return start(loop, argv, o, ChildPipes.SUPPORTED);
  }

  /** {@link #start(EventLoop, List, SubprocessOptions)}; pump threads unless {@code childPipes}. */
  static Subprocess start(
      EventLoop loop, List<String> argv, SubprocessOptions o, boolean childPipes)
      throws IOException {
    FreeDescriptors.requireForChild(argv);
    ProcessBuilder pb = new ProcessBuilder(argv);
    if (o.directory() != null) {
      pb.directory(o.directory().toFile());
    }
    if (!o.environment().isEmpty()) {
      Map<String, String> env = pb.environment();
      o.environment()
          .forEach(
              (k, v) -> {
                if (v == null) {
                  env.remove(k);
                } else {
                  env.put(k, v);
                }
              });
    }
    boolean pipeIn = o.stdin() == Stdio.PIPE;
    boolean pipeOut = o.stdout() == Stdio.PIPE;
    boolean pipeErr = o.stderr() == Stdio.PIPE;
    List<Boolean> childWrites = new ArrayList<>(3);
    if (pipeIn) {
      childWrites.add(false);
    }
    if (pipeOut) {
      childWrites.add(true);
    }
    if (pipeErr) {
      childWrites.add(true);
    }
    boolean[] cw = new boolean[childWrites.size()];
    for (int i = 0; i < cw.length; i++) {
      cw[i] = childWrites.get(i);
    }
    List<ChildPipes.Link> links = childPipes ? ChildPipes.open(cw) : null;
    ChildPipes.Link in = null;
    ChildPipes.Link out = null;
    ChildPipes.Link err = null;
    if (links != null) {
      int i = 0;
      in = pipeIn ? links.get(i++) : null;
      out = pipeOut ? links.get(i++) : null;
      err = pipeErr ? links.get(i) : null;
    }
    pb.redirectInput(
        in != null
            ? ProcessBuilder.Redirect.from(new File(in.childPath()))
            : redirect(o.stdin(), true));
    pb.redirectOutput(
        out != null
            ? ProcessBuilder.Redirect.to(new File(out.childPath()))
            : redirect(o.stdout(), false));
    if (o.stderr() == Stdio.STDOUT) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(
          err != null
              ? ProcessBuilder.Redirect.to(new File(err.childPath()))
              : redirect(o.stderr(), false));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException | RuntimeException e) {
      if (links != null) {
        links.forEach(ChildPipes.Link::closeAll);
      }
      throw e;
    } finally {
      if (links != null) {
        links.forEach(ChildPipes.Link::closeChildEnd); // the child has its copies now
      }
    }
    if (links != null) {
      return new Subprocess(
          loop,
          p,
          List.copyOf(argv),
          in == null ? null : PipeTransport.writer(loop, in.pipe().sink()),
          out == null ? null : PipeTransport.reader(loop, out.pipe().source(), o.limit()),
          err == null ? null : PipeTransport.reader(loop, err.pipe().source(), o.limit()),
          false);
    }
    return pumped(loop, p, argv, o, pipeIn, pipeOut, pipeErr);
  }

  /** The JDK redirect for a stream that is not piped through {@link ChildPipes}. */
  private static ProcessBuilder.Redirect redirect(Stdio s, boolean input) {
    switch (s) {
      case PIPE:
        return ProcessBuilder.Redirect.PIPE;
      case INHERIT:
        return ProcessBuilder.Redirect.INHERIT;
      case DEVNULL:
        return input ? ProcessBuilder.Redirect.from(nullFile()) : ProcessBuilder.Redirect.DISCARD;
      default:
        throw new IllegalArgumentException("Stdio." + s + " is for stderr only");
    }
  }

  private static File nullFile() {
    boolean windows = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("win");
    return new File(windows ? "NUL" : "/dev/null");
  }

  /** The portable way: each JDK pipe pumped to or from an NIO pipe by a thread of its own. */
  private static Subprocess pumped(
      EventLoop loop,
      Process p,
      List<String> argv,
      SubprocessOptions o,
      boolean pipeIn,
      boolean pipeOut,
      boolean pipeErr)
      throws IOException {
    List<Pipe> opened = new ArrayList<>(3);
    try {
      StreamWriter in = null;
      StreamReader out = null;
      StreamReader err = null;
      String name = "coroutine-subprocess-" + p.pid();
      if (pipeIn) {
        Pipe pipe = Pipe.open();
        opened.add(pipe);
        PipePump.toChild(pipe.source(), p.getOutputStream(), name + "-stdin");
        in = PipeTransport.writer(loop, pipe.sink());
      }
      if (pipeOut) {
        Pipe pipe = Pipe.open();
        opened.add(pipe);
        PipePump.fromChild(p.getInputStream(), pipe.sink(), name + "-stdout");
        out = PipeTransport.reader(loop, pipe.source(), o.limit());
      }
      if (pipeErr) {
        Pipe pipe = Pipe.open();
        opened.add(pipe);
        PipePump.fromChild(p.getErrorStream(), pipe.sink(), name + "-stderr");
        err = PipeTransport.reader(loop, pipe.source(), o.limit());
      }
      return new Subprocess(loop, p, List.copyOf(argv), in, out, err, true);
    } catch (IOException | RuntimeException e) {
      for (Pipe pipe : opened) {
        IoFrames.closeQuietly(pipe.source());
        IoFrames.closeQuietly(pipe.sink());
      }
      p.destroyForcibly(); // a child we cannot talk to as asked: do not leave it running
      throw e;
    }
  }

  // ---- the streams -------------------------------------------------------------------------

  /**
   * The child's stdin, or null unless it was started with {@code stdin(Stdio.PIPE)}. Close it (or
   * {@link StreamWriter#writeEof()}) to send end of file.
   *
   * @return the writer to the child's stdin, or null
   */
  public StreamWriter stdin() {
    return stdin;
  }

  /**
   * The child's stdout, or null unless it was started with {@code stdout(Stdio.PIPE)}.
   *
   * @return the reader of the child's stdout, or null
   */
  public StreamReader stdout() {
    return stdout;
  }

  /**
   * The child's stderr, or null unless it was started with {@code stderr(Stdio.PIPE)}.
   *
   * @return the reader of the child's stderr, or null
   */
  public StreamReader stderr() {
    return stderr;
  }

  // ---- the process -------------------------------------------------------------------------

  /**
   * The child's process id.
   *
   * @return the process id
   */
  public long pid() {
    return process.pid();
  }

  /**
   * The exit code once the child has exited (and the loop has heard of it), else null: asyncio's
   * {@code returncode}. A child ended by signal {@code N} reports {@code 128 + N}, as the JDK does
   * (asyncio: {@code -N}).
   *
   * @return the exit code, or null while the child runs
   */
  public Integer exitCode() {
    return exit.isDone() ? exit.result() : null;
  }

  /**
   * Waits for the child to exit and returns its exit code: asyncio's {@code wait()}. As there, a
   * child writing more to a pipe than the pipe holds waits for it to be read: read the pipes (or
   * use {@link #communicate}) rather than only waiting. Cancelling the wait leaves the child
   * running.
   *
   * @return a coroutine whose result is the exit code
   */
  public Coroutine<Integer> waitFor() {
    return IoFrames.lazy(() -> IoFrames.follow(loop, exit));
  }

  /**
   * Sends {@code input} to stdin and closes it, reads stdout and stderr to their end, and waits for
   * the exit, all at once, so that no pipe fills up while another is waited on: asyncio's {@code
   * communicate(input)}. A child that exits without reading all its input is not an error (the
   * broken pipe is ignored, as in asyncio). Cancelling it cancels the reading and the waiting, not
   * the child: stdin stays open (input already written keeps going to the child, as in asyncio),
   * and what the child writes stays readable on {@link #stdout()} and {@link #stderr()} (asyncio
   * loses what its cancelled reads had taken).
   *
   * @param input the bytes for stdin (which must be piped), or null to send none (stdin, if piped,
   *     is closed all the same)
   * @return a coroutine whose result is what stdout and stderr carried (null for a stream not
   *     piped)
   * @throws IOException not by this call: where the returned coroutine is awaited, if reading a
   *     pipe failed; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Output> communicate(byte[] input) throws IOException {
    if (input != null && stdin == null) {
      throw new IllegalStateException(
          "communicate(input) needs the child's stdin piped (SubprocessOptions.stdin(Stdio.PIPE)): "
              + this);
    }
    return IoFrames.lazy(() -> new Communication(input).start());
  }

  /**
   * {@link #communicate(byte[])} with no input.
   *
   * @return a coroutine whose result is what stdout and stderr carried
   * @throws IOException not by this call: where the returned coroutine is awaited, if reading a
   *     pipe failed; declared here so that a {@code catch} around the call compiles
   */
  public Coroutine<Output> communicate() throws IOException {
    return communicate(null);
  }

  /**
   * Sends signal {@code name} ("TERM", "KILL", "INT", "HUP", "USR1", ...; an optional "SIG" prefix
   * is ignored) to the child, unless it has exited: asyncio's {@code send_signal}. TERM and KILL go
   * through {@link Process#destroy()}/{@link Process#destroyForcibly()}; the JDK has no call for
   * the others, so they are sent by running {@code kill -s NAME pid}, which blocks the loop for the
   * millisecond or two that program takes.
   *
   * @param name the signal's name
   * @throws IOException if {@code kill} cannot be run or refuses the signal (an unknown name)
   */
  public void sendSignal(String name) throws IOException {
    String sig = name.toUpperCase(Locale.ROOT);
    if (sig.startsWith("SIG")) {
      sig = sig.substring(3);
    }
    if (!sig.matches("[A-Z][A-Z0-9]*([+-][0-9]+)?")) { // "USR1", "RTMIN+3"; never an option
      throw new IllegalArgumentException(
          "not a signal name: \"" + name + "\" (a name such as \"USR1\" or \"SIGHUP\")");
    }
    if (!process.isAlive()) {
      return;
    }
    if (sig.equals("TERM")) {
      process.destroy();
    } else if (sig.equals("KILL")) {
      process.destroyForcibly();
    } else {
      Process k =
          new ProcessBuilder("kill", "-s", sig, Long.toString(process.pid()))
              .redirectErrorStream(true)
              .start();
      byte[] said = k.getInputStream().readAllBytes();
      int code;
      try {
        code = k.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while sending SIG" + sig + " to " + this, e);
      }
      if (code != 0 && process.isAlive()) {
        throw new IOException(
            "kill -s "
                + sig
                + " "
                + process.pid()
                + " failed (exit "
                + code
                + "; is SIG"
                + sig
                + " a signal of this OS?): "
                + new String(said).trim());
      }
    }
  }

  /**
   * Closes the pipes to and from the child at once, dropping input not yet written (reads then
   * return what had arrived, then the end of file), and kills the child if it is still running:
   * asyncio's {@code close()} of the process's transport, which asyncio also runs when the process
   * object is collected. A pipe closes by itself at its end of file; this is for a child given up
   * on before that (a timed-out {@code communicate()}: its reading paused on a full buffer, the
   * pipe would stay open, one descriptor each, until the loop closes). Calling it again does
   * nothing.
   */
  public void close() {
    if (process.isAlive()) {
      // first: the pipes close at once, and a child writing on would die of SIGPIPE instead
      // (asyncio kills it before its pipes' closes take effect, a callback later)
      process.destroyForcibly();
    }
    if (stdin != null) {
      stdin.transport().abort();
    }
    for (StreamReader r : new StreamReader[] {stdout, stderr}) {
      if (r != null) {
        r.transport().abort();
      }
    }
  }

  /** Sends SIGTERM (asyncio's {@code terminate}); nothing if the child has exited. */
  public void terminate() {
    process.destroy();
  }

  /** Sends SIGKILL (asyncio's {@code kill}); nothing if the child has exited. */
  public void kill() {
    process.destroyForcibly();
  }

  /**
   * The JDK's handle on the child (for {@link Process#info()}, {@link Process#descendants()}, ...).
   * Its own streams are not the ones to use: read and write through {@link #stdout()} and {@link
   * #stdin()}.
   *
   * @return the JDK process
   */
  public Process process() {
    return process;
  }

  @Override
  public String toString() {
    Integer code = exitCode();
    return "Subprocess[pid="
        + process.pid()
        + " "
        + argv
        + (code != null ? " exited " + code : " running")
        + (pumped ? ", pumped pipes" : "")
        + "]";
  }

  /**
   * What {@link #communicate} collected.
   *
   * @param stdout all the child wrote to stdout, or null if stdout was not piped
   * @param stderr all it wrote to stderr, or null if stderr was not piped
   * @param exitCode its exit code
   */
  public record Output(byte[] stdout, byte[] stderr, int exitCode) {}

  /** One {@link #communicate}: the feeding, the two reads and the exit, gathered. */
  private final class Communication {
    /** What to write to stdin, or null. */
    private final byte[] input;

    Communication(byte[] input) {
      this.input = input;
    }

    Future<Output> start() {
      try {
        return gathered();
      } catch (IOException e) { // declared by the read and drain factories, thrown by neither
        return IoFrames.failed(loop, e);
      }
    }

    private Future<Output> gathered() throws IOException {
      Future<Output> result = loop.createFuture();
      List<Awaitable<?>> parts = new ArrayList<>(4);
      Task<byte[]> out = stdout == null ? null : loop.createTask(stdout.read(-1));
      Task<byte[]> err = stderr == null ? null : loop.createTask(stderr.read(-1));
      Future<Void> fed = stdin == null ? null : feed();
      if (out != null) {
        parts.add(out);
      }
      if (err != null) {
        parts.add(err);
      }
      if (fed != null) {
        parts.add(fed);
      }
      Future<Integer> exited = IoFrames.follow(loop, exit);
      parts.add(exited);
      Future<List<Object>> all = Coroutines.gather(parts);
      all.addDoneCallback(
          g -> {
            if (result.isDone()) {
              // result's cancellation failed the gather: read, so never reported as unretrieved
              Futures.failureOf(g);
              return;
            }
            if (g.isCancelled()) {
              result.cancel();
            } else if (g.exception() != null) {
              result.setException(g.exception());
            } else {
              result.setResult(
                  new Output(
                      out == null ? null : out.result(),
                      err == null ? null : err.result(),
                      exited.result()));
            }
          });
      result.addDoneCallback(
          r -> {
            if (r.isCancelled()) {
              all.cancel();
            }
          });
      return result;
    }

    /** Writes the input, drains, closes stdin; a pipe the child closed is not an error. */
    private Future<Void> feed() throws IOException {
      Future<Void> done = loop.createFuture();
      if (input != null && input.length > 0 && !stdin.isClosing()) {
        stdin.write(input);
      }
      Task<Void> drained = loop.createTask(stdin.drain());
      drained.addDoneCallback(
          d -> {
            if (!d.isCancelled()) {
              d.exception(); // retrieved: a broken pipe means the child did not want it all
              stdin.close();
            } // cancelled: stdin stays open, as asyncio's (no end of file the child did not get)
            if (!done.isDone()) {
              if (d.isCancelled()) {
                done.cancel();
              } else {
                done.setResult(null);
              }
            }
          });
      done.addDoneCallback(
          x -> {
            if (x.isCancelled()) {
              drained.cancel();
            }
          });
      return done;
    }
  }
}
