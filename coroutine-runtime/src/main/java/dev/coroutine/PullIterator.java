package dev.coroutine;

import dev.coroutine.internal.Frames;
import java.util.NoSuchElementException;

/**
 * An {@link AsyncIterator} over a source that hands out one item per await: each {@link #hasNext()}
 * awaits the awaitable {@link #fetch()} returns (a {@code queue.get()}, a {@code
 * reader.readLine()}, ...) and keeps its result for {@link #next()}. How the source says it has
 * ended is the subclass's choice: {@code fetch()} returns null, the item is an end marker ({@link
 * #isEnd(Object)}), or the awaitable fails with an exception that means the end ({@link
 * #isEnd(Throwable)}). Any other failure is thrown at the {@code await(it.hasNext())} and the
 * iteration may go on (a cancelled or timed-out wait loses nothing of a queue or a stream).
 *
 * <p>Invariant: at most one fetch is awaited at a time ({@link #fetching}); {@link #hasValue} holds
 * between a {@code hasNext()} that found an item and the {@code next()} that takes it; once {@link
 * #ended}, nothing is fetched again. Closing ends the iteration, not the source: a queue or a
 * connection stays open for others.
 *
 * @param <T> the type of the items
 */
public abstract class PullIterator<T> implements AsyncIterator<T> {
  /** The item the last hasNext() found, until next() takes it. */
  private T value;

  /** {@link #value} is there for next(). */
  private boolean hasValue;

  /** The source has ended or the iteration was closed. */
  private boolean ended;

  /** A hasNext() awaits the source. */
  private boolean fetching;

  /** For subclasses. */
  protected PullIterator() {}

  /**
   * The awaitable whose result is the next item, or null if the source is known to have ended.
   * Called once per item, when a {@code hasNext()} is awaited.
   *
   * @return the awaitable of the next item, or null at the end
   * @throws Exception thrown at the {@code await(it.hasNext())}
   */
  protected abstract Awaitable<? extends T> fetch() throws Exception;

  /**
   * Whether {@code item}, a result of {@link #fetch()}'s awaitable, marks the end of the source
   * rather than being a value (a null line at the end of a stream). False by default.
   *
   * @param item what the awaitable produced
   * @return true if it marks the end
   */
  protected boolean isEnd(T item) {
    return false;
  }

  /**
   * Whether {@code failure} of {@link #fetch()}'s awaitable marks the end of the source rather than
   * being thrown (a queue shut down). False by default.
   *
   * @param failure what the awaitable threw
   * @return true if it marks the end
   */
  protected boolean isEnd(Throwable failure) {
    return false;
  }

  /** Called once when the iteration ends or is closed. Does nothing by default. */
  protected void onEnd() {}

  @Override
  public final Coroutine<Boolean> hasNext() {
    AsyncFrame<Boolean> f = AsyncFrame.create(PullIterator::advance, 0, 0);
    f.ref0 = this;
    return f;
  }

  @Override
  public final T next() {
    if (!hasValue) {
      throw new NoSuchElementException(
          ended ? "the iteration has ended" : "next() without a hasNext() that returned true");
    }
    T v = value;
    value = null;
    hasValue = false;
    return v;
  }

  @Override
  public final Coroutine<Void> aclose() {
    return Frames.lazy(
        () -> {
          close();
          return DoneCoroutine.VOID;
        });
  }

  @Override
  public final void close() {
    if (!ended) {
      end();
    }
  }

  private void end() {
    ended = true;
    value = null;
    hasValue = false;
    onEnd();
  }

  /** The body of hasNext(): label 0 fetches, label 1 takes what the fetch produced. */
  @SuppressWarnings("unchecked")
  private static Object advance(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null; // a DESCRIBE query: a runtime body has no source location
    }
    PullIterator<Object> it = (PullIterator<Object>) f.ref0;
    Object r;
    if (f.label == 0) {
      if (it.hasValue) {
        return Boolean.TRUE;
      }
      if (it.ended) {
        return Boolean.FALSE;
      }
      if (it.fetching) {
        throw new IllegalStateException(
            "hasNext(): another hasNext() of this iterator is waiting (awaited twice at once?)");
      }
      Awaitable<?> next = it.fetch();
      if (next == null) {
        it.end();
        return Boolean.FALSE;
      }
      it.fetching = true;
      try {
        r = AsyncFrame.await(next, f);
      } catch (Throwable failure) {
        return it.failed(failure);
      }
      if (r == AsyncFrame.SUSPEND) {
        f.label = 1;
        return r;
      }
    } else {
      try {
        r = f.resumed();
      } catch (Throwable failure) {
        return it.failed(failure);
      }
    }
    it.fetching = false;
    // closed from elsewhere while the fetch waited: the item is still handed out, not lost
    if (it.isEnd(r)) {
      if (!it.ended) {
        it.end();
      }
      return Boolean.FALSE;
    }
    it.value = r;
    it.hasValue = true;
    return Boolean.TRUE;
  }

  private Object failed(Throwable failure) throws Throwable {
    fetching = false;
    if (!ended && isEnd(failure)) {
      end();
      return Boolean.FALSE;
    }
    throw failure;
  }
}
