package dev.coroutine.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A documented, deliberate difference from asyncio on a {@link Scenario}: where asyncio's trace has
 * the contiguous lines {@link #asyncio()}, ours has {@link #ours()}; every other line must be
 * equal. The test fails if asyncio's trace no longer contains those lines (the difference is stale)
 * or if ours differs in any other way. Each one is listed, with its reason, in the README's section
 * "Differences from asyncio" (a test checks that it is).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Differs {
  /** Why Java cannot (or deliberately does not) behave as asyncio here. */
  String reason();

  /** The lines of asyncio's trace that differ, contiguous, in order. */
  String[] asyncio();

  /** The lines our trace has in their place. */
  String[] ours();
}
