package dev.coroutine;

import java.util.concurrent.CancellationException;

/**
 * Python's {@code GeneratorExit}: thrown into an async generator's producer at the emit where it is
 * suspended when the consumer closes the iteration ({@link AsyncIterator#aclose()}, {@link
 * AsyncIterator#close()}), so its {@code finally} blocks run. A {@link CancellationException}: code
 * that handles cancellation correctly (runs its cleanup and lets it through) handles this too. A
 * producer that catches it must not emit again.
 */
public class GeneratorExitException extends CancellationException {
  private static final long serialVersionUID = 1L;

  /** An exit with the default message. */
  public GeneratorExitException() {
    super("async generator closed");
  }
}
