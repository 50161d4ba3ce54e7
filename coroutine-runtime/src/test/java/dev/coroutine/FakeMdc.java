package dev.coroutine;

import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for SLF4J's {@code MDC} / Log4j's {@code ThreadContext}: a thread-local string map, so
 * the context-listener tests need no logging dependency.
 */
final class FakeMdc {
  /** Each thread's map. */
  private final ThreadLocal<Map<String, String>> maps = ThreadLocal.withInitial(HashMap::new);

  void put(String key, String value) {
    maps.get().put(key, value);
  }

  void remove(String key) {
    maps.get().remove(key);
  }

  String get(String key) {
    return maps.get().get(key);
  }
}
