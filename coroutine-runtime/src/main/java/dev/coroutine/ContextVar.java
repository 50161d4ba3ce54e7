package dev.coroutine;

import dev.coroutine.internal.ContextMap;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A context variable: asyncio's {@code contextvars.ContextVar}. Its value is looked up in the
 * current {@link Context}, so each task sees its own: a task runs in a copy of the context that was
 * current when it was created, a callback in the one current when it was scheduled. A task that
 * sets a variable changes its own context only; the task that created it does not see the change.
 *
 * <pre>{@code
 * static final ContextVar<String> REQUEST_ID = new ContextVar<>("request_id");
 *
 * @Async Coroutine<Void> handle(Request r) {
 *   REQUEST_ID.set(r.id());          // this task and the tasks it creates from now on see it
 *   await(createTask(audit(r)));     // audit() reads REQUEST_ID.get()
 *   return done();
 * }
 * }</pre>
 *
 * <p>Create context variables once (in a {@code static final} field): each one is a key of every
 * context it is set in, compared by identity. Values may be null. All methods work on any thread; a
 * thread outside any event loop has its own context, as in Python.
 *
 * <p>Invariant: {@link #hash} is distinct for every variable created in this JVM (a bijective mix
 * of a counter), so the contexts' hash tries never collide on variables.
 *
 * @param <T> the type of the variable's values
 */
public final class ContextVar<T> {
  /** Counts variables; mixed into {@link #hash}. */
  private static final AtomicInteger CREATED = new AtomicInteger();

  /** The name, for messages and {@link #toString()}. */
  private final String name;

  /** The default value, or {@link ContextMap#MISSING} if the variable has none. */
  private final Object defaultValue;

  /** This variable's hash in a context's map: distinct per variable (see the class comment). */
  private final int hash;

  /**
   * A variable without a default: {@link #get()} throws {@link NoSuchElementException} in a context
   * where it was never set.
   *
   * @param name the variable's name, for messages
   */
  public ContextVar(String name) {
    this(name, ContextMap.MISSING, 0);
  }

  /**
   * A variable with a default value: {@link #get()} returns it in a context where the variable was
   * never set.
   *
   * @param name the variable's name, for messages
   * @param defaultValue the value of {@link #get()} where the variable is not set; may be null
   */
  public ContextVar(String name, T defaultValue) {
    this(name, defaultValue, 0);
  }

  private ContextVar(String name, Object defaultValue, int unused) {
    this.name = Objects.requireNonNull(name, "name");
    this.defaultValue = defaultValue;
    // Multiplying by an odd constant is a bijection on int: distinct counts give distinct hashes,
    // spread over all the bits the trie looks at.
    this.hash = CREATED.incrementAndGet() * 0x9E3779B9;
  }

  /**
   * The variable's name (asyncio's {@code ContextVar.name}).
   *
   * @return the name given to the constructor
   */
  public String getName() {
    return name;
  }

  /**
   * The value in the current context, else the variable's default; {@link NoSuchElementException}
   * (asyncio's {@code LookupError}) if it has neither.
   *
   * @return the variable's value in the current context
   * @throws NoSuchElementException if the variable is not set in the current context and has no
   *     default
   */
  @SuppressWarnings("unchecked")
  public T get() {
    Object v = lookup();
    if (v != ContextMap.MISSING) {
      return (T) v;
    }
    if (defaultValue != ContextMap.MISSING) {
      return (T) defaultValue;
    }
    throw new NoSuchElementException(
        "context variable '" + name + "' is not set in the current context and has no default");
  }

  /**
   * The value in the current context, else {@code fallback} (which takes precedence over the
   * variable's default, as asyncio's {@code get(default)}).
   *
   * @param fallback what to return if the variable is not set in the current context
   * @return the variable's value in the current context, or {@code fallback}
   */
  @SuppressWarnings("unchecked")
  public T get(T fallback) {
    Object v = lookup();
    return v != ContextMap.MISSING ? (T) v : fallback;
  }

  /**
   * Sets the variable in the current context. The returned token undoes the change with {@link
   * #reset}: {@code try (var t = VAR.set(x)) { ... }} restores the previous value at the end of the
   * block (asyncio 3.14's {@code with var.set(x):}).
   *
   * @param value the new value; may be null
   * @return a token that restores the previous value (or absence) with {@link #reset}
   */
  public Token<T> set(T value) {
    Context.Cell cell = Context.cellForUpdate(); // from now on tasks and callbacks capture contexts
    ContextMap m = cell.map();
    Object old = m.get(this);
    Object owner = cell.replaceMap(m.put(this, value));
    Context.changed();
    return new Token<>(this, owner, old);
  }

  /**
   * Restores the value (or absence) the variable had before the {@link #set} that returned {@code
   * token}, in the context that set was made in. A token works once.
   *
   * @param token a token returned by this variable's {@link #set}
   * @throws IllegalStateException (asyncio's {@code RuntimeError}) if the token was already used
   * @throws IllegalArgumentException (asyncio's {@code ValueError}) if the token was created by
   *     another variable, or in a context other than the current one
   */
  public void reset(Token<T> token) {
    Objects.requireNonNull(token, "token");
    if (token.used) {
      throw new IllegalStateException(token + " has already been used once");
    }
    if (token.var != this) {
      throw new IllegalArgumentException(token + " was created by a different ContextVar");
    }
    Context.Cell cell = Context.cell();
    if (token.owner != cell.owner()) {
      throw new IllegalArgumentException(token + " was created in a different Context");
    }
    token.used = true;
    ContextMap m = cell.map();
    cell.replaceMap(
        token.oldValue == ContextMap.MISSING ? m.remove(this) : m.put(this, token.oldValue));
    Context.changed();
  }

  /** The value in the current context, or {@link ContextMap#MISSING}. */
  Object lookup() {
    if (!Context.used) {
      return ContextMap.MISSING; // nothing was ever set anywhere: every context is empty
    }
    return Context.currentMap().get(this);
  }

  /** The value in the current context, else the default, else {@link ContextMap#MISSING}. */
  Object valueOrDefault() {
    Object v = lookup();
    return v != ContextMap.MISSING ? v : defaultValue;
  }

  /** Distinct per variable: the key's hash in a context's map. */
  @Override
  public int hashCode() {
    return hash;
  }

  /** Identity: a variable is equal only to itself. */
  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  /** {@code ContextVar[name]}, or {@code ContextVar[name default=value]}. */
  @Override
  public String toString() {
    return "ContextVar["
        + name
        + (defaultValue == ContextMap.MISSING ? "" : " default=" + defaultValue)
        + "]";
  }

  /**
   * What {@link ContextVar#set} returns: undoes that set with {@link ContextVar#reset} (asyncio's
   * {@code contextvars.Token}), or with {@link #close()} at the end of a try-with-resources block.
   *
   * @param <T> the type of the variable's values
   */
  public static final class Token<T> implements AutoCloseable {
    /** The variable that was set. */
    private final ContextVar<T> var;

    /** The context the set changed: a {@link Context}, or the {@link Task} owning its own. */
    private final Object owner;

    /** The value before the set, or {@link ContextMap#MISSING} if the variable was not set. */
    private final Object oldValue;

    /** Set by the reset that used this token. */
    private boolean used;

    Token(ContextVar<T> var, Object owner, Object oldValue) {
      this.var = var;
      this.owner = owner;
      this.oldValue = oldValue;
    }

    /**
     * The variable whose {@link ContextVar#set} made this token (asyncio's {@code Token.var}).
     *
     * @return the variable
     */
    public ContextVar<T> getVar() {
      return var;
    }

    /**
     * True if the variable had a value in its context before the set (asyncio: {@code
     * Token.old_value} is not {@code Token.MISSING}).
     *
     * @return true if there was a value before the set
     */
    public boolean hasOldValue() {
      return oldValue != ContextMap.MISSING;
    }

    /**
     * The value the variable had before the set (asyncio's {@code Token.old_value}).
     *
     * @return the previous value (possibly null)
     * @throws NoSuchElementException if the variable was not set before ({@link #hasOldValue()} is
     *     false)
     */
    @SuppressWarnings("unchecked")
    public T getOldValue() {
      if (oldValue == ContextMap.MISSING) {
        throw new NoSuchElementException(var + " had no value before this set");
      }
      return (T) oldValue;
    }

    /** {@link ContextVar#reset} with this token: try-with-resources restores the old value. */
    @Override
    public void close() {
      var.reset(this);
    }

    @Override
    public String toString() {
      return "Token[var=" + var + (used ? " used" : "") + "]";
    }
  }
}
