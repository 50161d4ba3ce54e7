package dev.coroutine.io;

import dev.coroutine.EventLoop;
import dev.coroutine.Future;
import dev.coroutine.internal.ResultHandOver;
import java.util.function.Consumer;

/**
 * The future of an operation whose result is a resource made for the one awaiting it: a connection,
 * a server, a datagram endpoint, an accepted socket. If the awaiting task drops the result
 * (cancelled, or given up on by {@code waitFor}/{@code timeout}, after the result was set and
 * before the task resumed: see {@link ResultHandOver}), the resource is released, since nobody else
 * holds it. asyncio does the same in the coroutine that made it ({@code except: transport.close();
 * raise} around its last await); found from outside: connections given up on in that window stayed
 * open, both ends, until a collection found their writers.
 *
 * @param <T> the resource
 */
final class OwnedResult<T> extends Future<T> implements ResultHandOver {
  private final Consumer<? super T> release;

  OwnedResult(EventLoop loop, Consumer<? super T> release) {
    super(loop);
    this.release = release;
  }

  @Override
  public void outcomeDropped() {
    if (isDone() && !isCancelled() && exception() == null) {
      release.accept(result());
    }
  }

  /** A connection nobody took: closed as {@code StreamWriter.close()} does. */
  static OwnedResult<Connection> connection(EventLoop loop) {
    return new OwnedResult<>(loop, c -> c.writer().close());
  }
}
