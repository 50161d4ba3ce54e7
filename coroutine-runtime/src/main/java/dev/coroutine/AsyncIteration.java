package dev.coroutine;

import dev.coroutine.internal.Steps;
import java.util.ArrayList;
import java.util.List;

/** Coroutines over any {@link AsyncIterable}, written as {@link Steps} on the public protocol. */
final class AsyncIteration {
  private AsyncIteration() {}

  /** {@link AsyncIterable#toList()}. */
  static <T> Coroutine<List<T>> collect(AsyncIterable<T> source) {
    return new Collect<T>(source).coroutine();
  }

  /** Awaits {@code hasNext()} and takes {@code next()} until the end; closes on a failure. */
  private static final class Collect<T> extends Steps<List<T>> {
    /** The iterable, until started. */
    private final AsyncIterable<T> source;

    /** Its iterator; null until started. */
    private AsyncIterator<T> it;

    /** The items so far. */
    private final List<T> list = new ArrayList<>();

    Collect(AsyncIterable<T> source) {
      this.source = source;
    }

    @Override
    protected Object step(Object has, Throwable failure) throws Throwable {
      if (it == null) {
        it = source.iterator();
      } else if (failure != null) {
        it.close();
        throw failure;
      } else if (!(Boolean) has) {
        return list;
      } else {
        list.add(it.next());
      }
      Coroutine<Boolean> next;
      try {
        next = it.hasNext();
      } catch (Throwable e) {
        it.close();
        throw e;
      }
      return await(next);
    }
  }
}
