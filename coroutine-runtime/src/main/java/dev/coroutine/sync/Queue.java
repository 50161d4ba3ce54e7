package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.AsyncIterable;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.Future;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.PullIterator;
import java.util.ArrayDeque;

/**
 * A first-in first-out queue for coroutines: asyncio's {@code Queue}, with {@link #join()} /
 * {@link #taskDone()} and {@link #shutdown(boolean)} (Python 3.13). Not thread-safe. {@code null}
 * is a valid item (handy as an end-of-stream marker), except in a {@link PriorityQueue}.
 *
 * <p>{@link #get()} takes an item at once if there is one, otherwise waits; {@link #put} adds at
 * once unless the queue is full ({@code maxsize > 0}), otherwise waits. As in asyncio, a woken
 * getter (putter) re-checks the queue when it resumes; if it was cancelled after being woken it
 * wakes the next one in line, so no item and no free slot is left unnoticed.
 *
 * <p>It is an {@link AsyncIterable}: {@code while (await(it.hasNext())) { T item = it.next(); }}
 * gets items as {@link #get()} does, until the queue is shut down and empty.
 *
 * @param <T> the item type
 */
public class Queue<T> implements AsyncIterable<T> {
  /** Stands for a null item in storages that refuse null. */
  private static final Object NULL = new Object();

  /** The most items the queue holds; 0 or less for no limit. */
  private final int maxsize;
  /** The items; the subclass decides the order (FIFO, LIFO, priority). */
  private final java.util.Queue<Object> items;
  /** True if {@code null} items are stored as {@link #NULL}. */
  private final boolean maskNulls;
  /** Futures of getters waiting for an item, oldest first. */
  private final ArrayDeque<Future<Void>> getters = new ArrayDeque<>();
  /** Futures of putters waiting for a free slot, oldest first. */
  private final ArrayDeque<Future<Void>> putters = new ArrayDeque<>();
  /** Items put and not yet marked done with {@link #taskDone()}. */
  private int unfinished;
  /** Set while {@link #unfinished} is 0: what {@link #join()} waits for. */
  private final Event finished = new Event();
  /** {@link #shutdown(boolean)} was called. */
  private boolean shutdown;

  /** An unbounded queue. */
  public Queue() {
    this(0);
  }

  /**
   * A queue of at most {@code maxsize} items ({@code <= 0}: unbounded).
   *
   * @param maxsize the capacity; zero or less for unbounded
   */
  public Queue(int maxsize) {
    this(maxsize, new ArrayDeque<>(), true);
  }

  /** A queue over {@code items}, for the LIFO and priority variants. */
  Queue(int maxsize, java.util.Queue<Object> items, boolean maskNulls) {
    this.maxsize = maxsize;
    this.items = items;
    this.maskNulls = maskNulls;
    finished.set();
  }

  /**
   * Number of items in the queue.
   *
   * @return the number of items in the queue
   */
  public int size() {
    return items.size();
  }

  /**
   * The capacity; 0 or less for unbounded.
   *
   * @return the capacity; zero or less for unbounded
   */
  public int maxsize() {
    return maxsize;
  }

  /**
   * True if the queue holds no item.
   *
   * @return true if the queue holds no item
   */
  public boolean isEmpty() {
    return items.isEmpty();
  }

  /**
   * True if the queue holds {@code maxsize} items (never for an unbounded queue).
   *
   * @return true if the queue is at its capacity
   */
  public boolean isFull() {
    return maxsize > 0 && items.size() >= maxsize;
  }

  /**
   * Puts {@code item} when awaited (as asyncio's, calling it does nothing): at once if there is
   * room, otherwise waiting for room. Awaiting it throws {@link QueueShutDownException} if the
   * queue is (or gets) shut down.
   *
   * @param item the item to add
   * @return a coroutine that puts {@code item} when awaited
   */
  public Coroutine<Void> put(T item) {
    return new PutCall<>(this, item);
  }

  /**
   * Puts {@code item} without waiting; {@link QueueFullException} if full, {@link
   * QueueShutDownException} if shut down.
   *
   * @param item the item to add
   */
  public void putNowait(T item) {
    if (shutdown) {
      throw new QueueShutDownException("queue is shut down");
    }
    if (isFull()) {
      throw new QueueFullException("queue is full");
    }
    items.add(item == null && maskNulls ? NULL : checkItem(item));
    unfinished++;
    finished.clear();
    wakeUpNext(getters);
  }

  /** Hook for {@link PriorityQueue} to refuse null. */
  Object checkItem(T item) {
    return item;
  }

  /**
   * Gets the next item when awaited (as asyncio's, calling it does nothing): at once if there is
   * one, otherwise waiting for one. Awaiting it throws {@link QueueShutDownException} if the queue
   * is shut down and empty.
   *
   * @return a coroutine whose result is the next item
   */
  public Coroutine<T> get() {
    AsyncFrame<T> f = AsyncFrame.create(Queue::getBody, 0, 0);
    f.ref0 = this;
    return f;
  }

  /**
   * Gets the next item without waiting; {@link QueueEmptyException} if there is none ({@link
   * QueueShutDownException} if also shut down).
   *
   * @return the next item
   */
  @SuppressWarnings("unchecked")
  public T getNowait() {
    if (items.isEmpty()) {
      if (shutdown) {
        throw new QueueShutDownException("queue is shut down");
      }
      throw new QueueEmptyException("queue is empty");
    }
    Object o = items.poll();
    wakeUpNext(putters);
    return o == NULL ? null : (T) o;
  }

  /**
   * Iterates over the items as they arrive: each {@code hasNext()} waits for an item as {@link
   * #get()} does, and the iteration ends when the queue is shut down and empty (where {@code get()}
   * throws {@link QueueShutDownException}). Iterators share the queue: each item goes to whichever
   * getter or iterator asks first. Like {@code get()}, it does not call {@link #taskDone()};
   * closing the iterator leaves the queue as it is.
   *
   * @return an iterator over the items, in the queue's order
   */
  @Override
  public AsyncIterator<T> iterator() {
    return new Items<>(this);
  }

  /** One iteration over a queue's items. */
  private static final class Items<T> extends PullIterator<T> {
    /** The queue. */
    private final Queue<T> queue;

    Items(Queue<T> queue) {
      this.queue = queue;
    }

    @Override
    protected Awaitable<T> fetch() {
      return queue.get();
    }

    @Override
    protected boolean isEnd(Throwable failure) {
      return failure instanceof QueueShutDownException;
    }
  }

  /**
   * Marks one item got earlier as processed; when every item put is processed, {@link #join()}
   * returns. {@link IllegalStateException} if called more often than items were put.
   */
  public void taskDone() {
    if (unfinished <= 0) {
      throw new IllegalStateException("taskDone() called too many times");
    }
    unfinished--;
    if (unfinished == 0) {
      finished.set();
    }
  }

  /**
   * Waits until every item put has been marked done with {@link #taskDone()}.
   *
   * @return a coroutine that finishes once every item put is marked done
   */
  public Coroutine<Void> join() {
    return finished.await(); // set while nothing is unfinished; checked when awaited
  }

  /**
   * Shuts the queue down: puts throw {@link QueueShutDownException}, and gets do too once the
   * queue is empty; waiting putters and getters are woken to see it. With {@code immediate} the
   * items left are dropped (and count as done for {@link #join()}), so getters fail at once.
   *
   * @param immediate true to drop the items left as well
   */
  public void shutdown(boolean immediate) {
    shutdown = true;
    if (immediate) {
      while (!items.isEmpty()) {
        items.poll();
        if (unfinished > 0) {
          unfinished--;
        }
      }
      if (unfinished == 0) {
        finished.set();
      }
    }
    Future<Void> w;
    while ((w = getters.poll()) != null) {
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
    while ((w = putters.poll()) != null) {
      if (!w.isDone()) {
        w.setResult(null);
      }
    }
  }

  /**
   * True after {@link #shutdown(boolean)}.
   *
   * @return true once the queue is shut down
   */
  public boolean isShutDown() {
    return shutdown;
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "[size="
        + items.size()
        + (maxsize > 0 ? " maxsize=" + maxsize : "")
        + (getters.isEmpty() ? "" : " getters=" + getters.size())
        + (putters.isEmpty() ? "" : " putters=" + putters.size())
        + (shutdown ? " shut down" : "")
        + "]";
  }

  /** Wakes the first waiter of {@code waiters} that is not done (not cancelled), removing it. */
  private static void wakeUpNext(ArrayDeque<Future<Void>> waiters) {
    Future<Void> w;
    while ((w = waiters.poll()) != null) {
      if (!w.isDone()) {
        w.setResult(null);
        return;
      }
    }
  }

  // ---- waiting gets and puts --------------------------------------------------------------
  //
  // A get() or put() that cannot finish at once is a frame of one of these bodies (written
  // against the frame protocol, like generated code). It starts with the queue in ref0 (and a
  // put's item in refs[0]); once it waits, ref0 holds its Waiter: the future it waits on, which
  // also names the queue (and the item). A waiting get costs its frame and that future.

  /** The future a waiting getter is woken with; knows its queue. */
  private static class Waiter extends Future<Void> {
    /** The queue waited on. */
    final Queue<?> queue;

    Waiter(Queue<?> queue) {
      this.queue = queue;
    }

    /** A fresh waiter for the same operation, for another wait once this one is done. */
    Waiter again() {
      return new Waiter(queue);
    }
  }

  /** The future a waiting putter is woken with; also holds the item to put. */
  private static final class PutWaiter extends Waiter {
    /** The item to put. */
    final Object item;

    PutWaiter(Queue<?> queue, Object item) {
      super(queue);
      this.item = item;
    }

    @Override
    Waiter again() {
      return new PutWaiter(queue, item);
    }
  }

  /**
   * The body of a get that may wait: label 0 with the queue in {@code ref0}, label 1 with its
   * {@link Waiter} there once it has waited. As in asyncio, a woken getter re-checks the queue
   * (another may have taken the item), and one cancelled after being woken passes the wake-up on
   * to the next getter. The waiter is made at the first wait, on the loop that runs the get.
   */
  private static Object getBody(AsyncFrame<?> f) throws Throwable {
    Waiter w;
    Queue<?> q;
    if (f.label == 0) {
      q = (Queue<?>) f.ref0;
      w = null;
    } else {
      w = (Waiter) f.ref0;
      q = w.queue;
      try {
        f.resumed();
      } catch (Throwable failure) {
        q.leave(q.getters, w, !q.items.isEmpty());
        throw failure;
      }
    }
    if (q.items.isEmpty()) {
      if (q.shutdown) {
        throw new QueueShutDownException("queue is shut down");
      }
      return q.waitIn(q.getters, w != null ? w : new Waiter(q), f);
    }
    return q.getNowait();
  }

  /**
   * A put not awaited yet: puts at once if there is room (no frame), otherwise waits in a frame
   * of {@link #putBody}.
   */
  private static final class PutCall<T> extends LazyCoroutine<Void> {
    /** The queue to put into. */
    private final Queue<T> queue;
    /** The item to put. */
    private final T item;

    PutCall(Queue<T> queue, T item) {
      super(queue, "put");
      this.queue = queue;
      this.item = item;
    }

    @Override
    public String toString() {
      return queue.getClass().getSimpleName() + ".put()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      Queue<T> q = queue;
      if (q.shutdown || !q.isFull()) {
        q.putNowait(item); // puts, or throws QueueShutDownException
        return null;
      }
      AsyncFrame<Void> f = AsyncFrame.create(Queue::putBody, 0, 0);
      f.ref0 = new PutWaiter(q, item);
      return AsyncFrame.await(f, caller);
    }
  }

  /**
   * The body of a put that waits, like {@link #getBody}, with its {@link PutWaiter} in {@code
   * ref0} from the start.
   */
  @SuppressWarnings("unchecked")
  private static Object putBody(AsyncFrame<?> f) throws Throwable {
    PutWaiter w = (PutWaiter) f.ref0;
    Queue<Object> q = (Queue<Object>) w.queue;
    if (f.label != 0) {
      try {
        f.resumed();
      } catch (Throwable failure) {
        q.leave(q.putters, w, !q.isFull());
        throw failure;
      }
    }
    if (q.isFull()) {
      if (q.shutdown) {
        throw new QueueShutDownException("queue is shut down");
      }
      return q.waitIn(q.putters, w, f);
    }
    q.putNowait(w.item);
    return null;
  }

  /**
   * Suspends frame {@code f} at the end of {@code waiters} on {@code w}, or on a fresh waiter if
   * {@code w} was already used for a wait that ended.
   */
  private Object waitIn(ArrayDeque<Future<Void>> waiters, Waiter w, AsyncFrame<?> f)
      throws Throwable {
    if (w.isDone()) {
      w = w.again();
    }
    f.ref0 = w;
    waiters.add(w);
    f.label = 1;
    return AsyncFrame.await(w, f); // pending: suspends
  }

  /**
   * A waiter failed (was cancelled) at its await: it leaves the line, and if it had been woken
   * for an item or a free slot that is {@code stillThere}, the next one in line is woken instead.
   */
  private void leave(ArrayDeque<Future<Void>> waiters, Waiter w, boolean stillThere) {
    w.cancel();
    waiters.remove(w);
    if (stillThere && !w.isCancelled()) {
      wakeUpNext(waiters); // woken, but cancelled before it ran: pass the wake-up on
    }
  }
}
