package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Coroutines whose every line runs in OrdersTest. The lines commented "c" are the lines
 * verify.groovy expects JaCoCo to report, all covered; no other line may be reported.
 */
public class Orders {
  private Orders() {} // JaCoCo ignores a private empty constructor

  @Async
  public static Coroutine<List<String>> process(List<String> items) {
    List<String> out = new ArrayList<>(); // c
    int total = 0; // c
    for (String item : items) { // c
      await(sleep(1)); // c
      int price = await(price(item)); // c
      if (price < 0) { // c
        out.add(item + ":free"); // c
        continue; // c
      }
      try {
        total += await(check(item, price)); // c
      } catch (IllegalArgumentException e) { // c
        out.add(item + ":" + e.getMessage()); // c
        continue; // c
      } // c (javac: the jump past the handler)
      String line = item + "=" + price; // c
      out.add(line); // c
    } // c (javac: the jump back to the loop's head)
    long cents = total * 100L; // c
    double average = items.isEmpty() ? 0 : (double) total / items.size(); // c
    String summary = await(format(cents, average)); // c
    out.add(summary); // c
    return done(out); // c
  }

  @Async
  static Coroutine<Integer> price(String item) {
    int p = await(CompletableFuture.completedFuture(item.length())); // c
    if (item.startsWith("gift")) { // c
      p = -1; // c
    }
    return done(p); // c
  }

  @Async
  static Coroutine<Integer> check(String item, int price) {
    await(sleep(0)); // c
    if (price > 5) { // c
      throw new IllegalArgumentException("too dear"); // c
    }
    return done(price); // c
  }

  /** An await in a finally block: javac copies the block to each exit, once rewritten too. */
  @Async
  public static Coroutine<String> audited(String item) {
    StringBuilder log = new StringBuilder(); // c
    try {
      log.append(await(price(item))); // c
    } finally {
      await(sleep(0)); // c
      log.append(";audited"); // c
    }
    return done(log.toString()); // c
  }

  @Async
  static Coroutine<String> format(long cents, double average) {
    await(sleep(1)); // c
    return done("total " + cents + " avg " + average); // c
  }
}
