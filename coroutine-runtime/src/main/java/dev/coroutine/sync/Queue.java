package dev.coroutine.sync;

import dev.coroutine.AsyncFrame;
import dev.coroutine.AsyncIterable;
import dev.coroutine.AsyncIterator;
import dev.coroutine.Awaitable;
import dev.coroutine.Coroutine;
import dev.coroutine.LazyCoroutine;
import dev.coroutine.Parking;
import dev.coroutine.PullIterator;
import dev.coroutine.Task;
import java.util.ArrayDeque;

/**
 * A first-in first-out queue for coroutines: asyncio's {@code Queue}, with {@link #join()} / {@link
 * #taskDone()} and {@link #shutdown(boolean)} (Python 3.13). Not thread-safe. {@code null} is a
 * valid item (handy as an end-of-stream marker), except in a {@link PriorityQueue}.
 *
 * <p>{@link #get()} takes an item at once if there is one, otherwise waits; {@link #put} adds at
 * once unless the queue is full ({@code maxsize > 0}), otherwise waits. As in asyncio, a woken
 * getter (putter) re-checks the queue when it resumes; if it was cancelled after being woken it
 * wakes the next one in line, so no item and no free slot is left unnoticed.
 *
 * <p>It is an {@link AsyncIterable}: {@code while (await(it.hasNext())) { T item = it.next(); }}
 * gets items as {@link #get()} does, until the queue is shut down and empty.
 *
 * <p>A waiting task parks in the queue itself ({@link Parking}): the line holds the task (and a
 * put's item), no future and no frame per wait. The operation objects {@link #get()} and {@link
 * #put} return are handed out again once awaited (outside debug mode), so a steady exchange
 * allocates nothing but what the items themselves cost. Awaiting such an object a second time
 * before the next call hands it out again throws {@link IllegalStateException}, as for any
 * coroutine.
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

  /** Tasks waiting for an item, oldest first. */
  private final Line getters = new Line(false);

  /** Tasks waiting for a free slot, oldest first, each with its item. */
  private final Line putters = new Line(true);

  /** A get operation that was awaited and may be handed out again by {@link #get()}, or null. */
  private GetCall<T> idleGet;

  /** A put operation that was awaited and may be handed out again by {@link #put}, or null. */
  private PutCall<T> idlePut;

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
    PutCall<T> c = idlePut;
    if (c != null && c.again()) {
      idlePut = null;
      c.item = item;
      return c;
    }
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
    getters.wakeNext();
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
    GetCall<T> c = idleGet;
    if (c != null && c.again()) {
      idleGet = null;
      return c;
    }
    return new GetCall<>(this);
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
    putters.wakeNext();
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
   * Shuts the queue down, keeping the items left for the getters: {@code shutdown(false)},
   * asyncio's {@code shutdown()} with its default {@code immediate=False}.
   */
  public void shutdown() {
    shutdown(false);
  }

  /**
   * Shuts the queue down: puts throw {@link QueueShutDownException}, and gets do too once the queue
   * is empty; waiting putters and getters are woken to see it. With {@code immediate} the items
   * left are dropped (and count as done for {@link #join()}), so getters fail at once.
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
    getters.wakeAll(); // they re-check and see the shutdown
    putters.wakeAll();
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
        + (getters.line.waiting() == 0 ? "" : " getters=" + getters.line.waiting())
        + (putters.line.waiting() == 0 ? "" : " putters=" + putters.line.waiting())
        + (shutdown ? " shut down" : "")
        + "]";
  }

  // ---- waiting gets and puts --------------------------------------------------------------

  /**
   * One line of waiting tasks (the getters or the putters), where they park: see {@link Parking}. A
   * woken task re-checks the queue when it runs ({@link #resume}), and goes back to the end of the
   * line if another task took what it was woken for, as in asyncio.
   */
  private final class Line extends Parking {
    /** The waiting tasks, with their items for putters. */
    final WaitLine line = new WaitLine();

    /** True for the putters' line. */
    private final boolean puts;

    Line(boolean puts) {
      this.puts = puts;
    }

    /** Wakes the first task waiting, if any. */
    void wakeNext() {
      Task<?> t = line.wakeNext();
      if (t != null) {
        wake(t);
      }
    }

    /** Wakes every task waiting. */
    void wakeAll() {
      int n = line.waiting();
      for (int i = 0; i < n; i++) {
        wakeNext();
      }
    }

    /** What a woken task of this line was woken for is there: an item, or a free slot. */
    private boolean available() {
      return puts ? !isFull() : !items.isEmpty();
    }

    @Override
    protected void enqueue(Task<?> t, Object datum) {
      line.add(t, datum);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected Object resume(Task<?> t) throws Throwable {
      line.remove(t);
      Object item = line.lastDatum;
      line.lastDatum = null;
      if (!available()) {
        if (shutdown) {
          throw new QueueShutDownException("queue is shut down");
        }
        line.add(t, item); // taken by another meanwhile: wait again, at the end of the line
        return AsyncFrame.SUSPEND;
      }
      if (puts) {
        putNowait((T) item); // or QueueShutDownException
        return null;
      }
      return getNowait();
    }

    @Override
    protected boolean withdrawWaiting(Task<?> t) {
      return line.removeIfWaiting(t);
    }

    @Override
    protected void abandon(Task<?> t) {
      if (line.remove(t) == 1) {
        line.lastDatum = null;
        if (available()) {
          wakeNext(); // woken, but cancelled before it ran: pass the wake-up on
        }
      }
    }

    @Override
    public String toString() {
      return Queue.this + (puts ? ".put()" : ".get()");
    }
  }

  /**
   * A get not awaited yet: takes an item at once if there is one, otherwise parks the caller's task
   * in {@link #getters}. Handed out again by {@link #get()} once awaited.
   */
  private static final class GetCall<T> extends LazyCoroutine<T> {
    /** The queue to get from. */
    private final Queue<T> queue;

    /** {@link #reuse()} for the queue: true if this awaited operation may be handed out again. */
    boolean again() {
      return reuse();
    }

    GetCall(Queue<T> queue) {
      super(queue, "get");
      this.queue = queue;
    }

    @Override
    public String toString() {
      return queue.getClass().getSimpleName() + ".get()";
    }

    @Override
    protected Object start(AsyncFrame<?> caller) throws Throwable {
      Queue<T> q = queue;
      q.idleGet = this; // its work is the caller's from here on: it may be handed out again
      if (q.items.isEmpty()) {
        if (q.shutdown) {
          throw new QueueShutDownException("queue is shut down");
        }
        return Parking.park(q.getters, caller, null);
      }
      return q.getNowait();
    }
  }

  /**
   * A put not awaited yet: puts at once if there is room, otherwise parks the caller's task, with
   * the item, in {@link #putters}. Handed out again by {@link #put} once awaited.
   */
  private static final class PutCall<T> extends LazyCoroutine<Void> {
    /** The queue to put into. */
    private final Queue<T> queue;

    /** The item to put; null once awaited (the line keeps it while the put waits). */
    T item;

    /** {@link #reuse()} for the queue: true if this awaited operation may be handed out again. */
    boolean again() {
      return reuse();
    }

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
      T x = item;
      item = null;
      q.idlePut = this; // its work is the caller's from here on: it may be handed out again
      if (q.shutdown || !q.isFull()) {
        q.putNowait(x); // puts, or throws QueueShutDownException
        return null;
      }
      return Parking.park(q.putters, caller, x);
    }
  }
}
