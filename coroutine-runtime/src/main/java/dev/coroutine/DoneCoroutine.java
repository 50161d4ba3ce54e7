package dev.coroutine;

/** An already-finished coroutine: what {@link Coroutines#done(Object)} returns. */
final class DoneCoroutine<T> implements Coroutine<T> {
  static final DoneCoroutine<Void> VOID = new DoneCoroutine<>(null);

  /** The result. */
  final T value;

  DoneCoroutine(T value) {
    this.value = value;
  }

  @Override
  public String toString() {
    return "done(" + value + ")";
  }
}
