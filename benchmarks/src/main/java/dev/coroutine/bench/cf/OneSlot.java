package dev.coroutine.bench.cf;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A one-slot channel for {@link CompletableFuture} code confined to one thread: {@link #put}
 * completes at once when the slot is free and {@link #take} when it is full, otherwise they return
 * a future completed when the other side arrives. Callers continue with {@code *Async} methods, so
 * completing a waiter never runs its continuation inline.
 */
final class OneSlot<T> {
  private T item;
  private boolean full;

  /** Takers waiting for an item, oldest first. */
  private final ArrayDeque<CompletableFuture<T>> takers = new ArrayDeque<>();

  /** Putters waiting for room, with their items. */
  private final ArrayDeque<CompletableFuture<Void>> putters = new ArrayDeque<>();

  private final ArrayDeque<T> pendingItems = new ArrayDeque<>();

  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  CompletableFuture<Void> put(T v) {
    if (!full) {
      CompletableFuture<T> taker = takers.poll();
      if (taker != null) {
        taker.complete(v);
      } else {
        item = v;
        full = true;
      }
      return DONE;
    }
    CompletableFuture<Void> waiter = new CompletableFuture<>();
    putters.add(waiter);
    pendingItems.add(v);
    return waiter;
  }

  CompletableFuture<T> take() {
    if (full) {
      T v = item;
      item = null;
      full = false;
      CompletableFuture<Void> putter = putters.poll();
      if (putter != null) {
        item = pendingItems.poll();
        full = true;
        putter.complete(null);
      }
      return CompletableFuture.completedFuture(v);
    }
    CompletableFuture<T> waiter = new CompletableFuture<>();
    takers.add(waiter);
    return waiter;
  }
}
