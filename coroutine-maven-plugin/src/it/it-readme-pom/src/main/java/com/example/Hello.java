package com.example;

import static dev.coroutine.Coroutines.*;

import dev.coroutine.*;

public class Hello {
  @Async
  static Coroutine<Void> sayAfter(long millis, String what) {
    await(sleep(millis));
    System.out.println(what);
    return done();
  }

  @Async
  static Coroutine<Void> main() {
    Task<Void> a = createTask(sayAfter(1000, "hello"));
    Task<Void> b = createTask(sayAfter(2000, "world"));
    await(a);
    await(b); // ~2 s in all: the two sleeps overlap
    return done();
  }

  public static void main(String[] args) {
    run(main());
  }
}
