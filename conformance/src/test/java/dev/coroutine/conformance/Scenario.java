package dev.coroutine.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the Java twin of an asyncio scenario: a static, parameterless method returning a {@code
 * Coroutine}, in a class named {@code <Area>Scenarios}, whose Python twin is {@code async def
 * scenario_<value>()} in {@code src/test/python/<area>.py} (area in snake_case). The method runs in
 * a fresh event loop ({@code Coroutines.run}) and logs its events with {@link Trace#log}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Scenario {
  /** The scenario's name, the same as the Python function's without {@code scenario_}. */
  String value();
}
