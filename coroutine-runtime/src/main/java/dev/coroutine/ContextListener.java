package dev.coroutine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Told when the current {@link Context} of a thread changes: registered with {@link
 * Context#addListener}. The hook that lets a logging library's thread-local diagnostic context
 * follow context variables across task switches without the runtime depending on it:
 *
 * <pre>{@code
 * Context.addListener(ContextListener.mirror(Map.of("requestId", REQUEST_ID), MDC::put, MDC::remove));
 * // Log4j 2: ContextListener.mirror(Map.of("requestId", REQUEST_ID), ThreadContext::put, ThreadContext::remove)
 * }</pre>
 *
 * <p>It is called synchronously on the thread whose context changed, every time the event loop
 * switches to a task or callback and back, on {@link Context#run} entry and exit, and after each
 * {@link ContextVar#set} and {@link ContextVar#reset}; so it should be quick. What it throws is
 * logged and otherwise ignored.
 */
@FunctionalInterface
public interface ContextListener {
  /**
   * The calling thread's current context changed; read the variables of interest with {@link
   * ContextVar#get(Object)}.
   */
  void contextChanged();

  /**
   * A listener that copies context variables into a thread-local key/value store on every change:
   * for each entry of {@code vars}, {@code put(key, String.valueOf(value))} when the variable has a
   * value (or a default) in the current context, {@code remove(key)} when it has none or its value
   * is null.
   *
   * @param vars the keys to write and the variables whose values they take
   * @param put stores one key's value, e.g. {@code MDC::put} or {@code ThreadContext::put}
   * @param remove removes one key, e.g. {@code MDC::remove} or {@code ThreadContext::remove}
   * @return the listener, to register with {@link Context#addListener}
   */
  static ContextListener mirror(
      Map<String, ? extends ContextVar<?>> vars,
      BiConsumer<String, String> put,
      Consumer<String> remove) {
    Objects.requireNonNull(put, "put");
    Objects.requireNonNull(remove, "remove");
    List<String> keys = new ArrayList<>(vars.keySet());
    List<ContextVar<?>> vs = new ArrayList<>(vars.values());
    String[] k = keys.toArray(new String[0]);
    ContextVar<?>[] v = vs.toArray(new ContextVar<?>[0]);
    return () -> {
      for (int i = 0; i < k.length; i++) {
        Object value = v[i].valueOrDefault();
        if (value == dev.coroutine.internal.ContextMap.MISSING || value == null) {
          remove.accept(k[i]);
        } else {
          put.accept(k[i], String.valueOf(value));
        }
      }
    };
  }
}
