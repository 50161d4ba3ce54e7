package dev.coroutine;

import java.util.ArrayList;
import java.util.List;

/** Coroutines over any {@link AsyncIterable}, written against the frame protocol. */
final class AsyncIteration {
  private AsyncIteration() {}

  /** {@link AsyncIterable#toList()}: ref0 the source, then the iterator; refs[0] the list. */
  static <T> Coroutine<List<T>> collect(AsyncIterable<T> source) {
    AsyncFrame<List<T>> f = AsyncFrame.create(AsyncIteration::collectBody, 1, 0);
    f.ref0 = source;
    return f;
  }

  @SuppressWarnings("unchecked")
  private static Object collectBody(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null;
    }
    AsyncIterator<Object> it;
    List<Object> list;
    Object has;
    if (f.label == 0) {
      it = ((AsyncIterable<Object>) f.ref0).iterator();
      list = new ArrayList<>();
      f.ref0 = it;
      f.refs[0] = list;
      has = null;
    } else {
      it = (AsyncIterator<Object>) f.ref0;
      list = (List<Object>) f.refs[0];
      try {
        has = f.resumed();
      } catch (Throwable failure) {
        it.close();
        throw failure;
      }
    }
    while (true) {
      if (has == null) {
        try {
          has = AsyncFrame.await(it.hasNext(), f);
        } catch (Throwable failure) {
          it.close();
          throw failure;
        }
        if (has == AsyncFrame.SUSPEND) {
          f.label = 1;
          return has;
        }
      }
      if (!(Boolean) has) {
        return list;
      }
      list.add(it.next());
      has = null;
    }
  }
}
