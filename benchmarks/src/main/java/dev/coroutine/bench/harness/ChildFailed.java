package dev.coroutine.bench.harness;

/** A child process exited abnormally, timed out, or printed no figure asked of it. */
final class ChildFailed extends Exception {
  private static final long serialVersionUID = 1L;

  ChildFailed(String message) {
    super(message);
  }
}
