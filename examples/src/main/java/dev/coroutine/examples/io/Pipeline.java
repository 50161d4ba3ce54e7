package dev.coroutine.examples.io;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import dev.coroutine.io.Stdio;
import dev.coroutine.io.Subprocess;
import dev.coroutine.io.SubprocessOptions;
import dev.coroutine.io.Subprocesses;

/**
 * A subprocess pipeline through the loop: {@code seq 1 N} produces numbers, the loop reads its
 * output line by line and feeds each line to a second program (a shell loop that squares what it
 * reads), and reads that one's answer line by line. asyncio's {@code create_subprocess_exec} with
 * {@code stdin=PIPE, stdout=PIPE}, one task, no thread per pipe.
 *
 * <pre>
 * java dev.coroutine.examples.io.Pipeline [n]
 * </pre>
 */
public final class Pipeline {
  private Pipeline() {}

  @Async
  static Coroutine<Void> pipeline(int n) throws Exception {
    Subprocess producer =
        await(
            Subprocesses.exec(
                SubprocessOptions.defaults().stdout(Stdio.PIPE), "seq", "1", String.valueOf(n)));
    Subprocess squarer =
        await(
            Subprocesses.shell(
                "while read x; do echo $((x * x)); done", SubprocessOptions.pipes()));
    String line;
    while ((line = await(producer.stdout().readLine())) != null) {
      squarer.stdin().write(line + "\n");
      await(squarer.stdin().drain());
      String answer = await(squarer.stdout().readLine());
      System.out.println("seq says " + line + ", the shell answers " + answer);
    }
    squarer.stdin().close(); // end of file: its loop ends
    int seqExit = await(producer.waitFor());
    Subprocess.Output rest = await(squarer.communicate());
    System.out.println(
        "seq exited "
            + seqExit
            + ", the shell exited "
            + rest.exitCode()
            + " leaving "
            + rest.stdout().length
            + " bytes unread");
    return done();
  }

  public static void main(String[] args) throws Exception {
    run(pipeline(args.length > 0 ? Integer.parseInt(args[0]) : 5));
  }
}
