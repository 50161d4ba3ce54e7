package dev.coroutine;

/** A generator's producer that emits 0, 1, ..., n-1 from one frame, as a compiled for loop. */
final class Counting {
  private Counting() {}

  /** Emits 0..n-1 ({@code Long.MAX_VALUE}: practically forever). */
  static Coroutine<Object> upTo(Emitter<Long> out, long n) {
    AsyncFrame<Object> f = AsyncFrame.create(Counting::body, 1, 2);
    f.refs[0] = out;
    f.prims[1] = n;
    return f;
  }

  /** prims[0]: the next value; prims[1]: n. */
  @SuppressWarnings("unchecked")
  private static Object body(AsyncFrame<?> f) throws Throwable {
    if (f.label < 0) {
      return null;
    }
    Emitter<Long> out = (Emitter<Long>) f.refs[0];
    if (f.label == 1) {
      f.resumed();
      f.prims[0]++;
    }
    while (f.prims[0] < f.prims[1]) {
      Object r = AsyncFrame.await(out.emit(f.prims[0]), f);
      if (r == AsyncFrame.SUSPEND) {
        f.label = 1;
        return r;
      }
      f.prims[0]++;
    }
    return null;
  }
}
