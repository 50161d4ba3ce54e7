package dev.coroutine;

/** When {@link Coroutines#wait(java.util.Collection, ReturnWhen, java.time.Duration)} returns. */
public enum ReturnWhen {
  /** As soon as any awaitable finishes or is cancelled. */
  FIRST_COMPLETED,
  /** As soon as any awaitable fails with an exception; as ALL_COMPLETED if none does. */
  FIRST_EXCEPTION,
  /** When every awaitable has finished or was cancelled. */
  ALL_COMPLETED
}
