package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** A repository whose loads are coroutines; {@code loadPair} awaits two of them. */
public interface Repo {
  @Async
  Coroutine<String> load(int id);

  @Async
  default Coroutine<String> loadPair(int id) {
    String a = await(load(id));
    String b = await(load(id + 1));
    return done(a + "," + b);
  }
}
