package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** Greets the names a {@link Repo} loads. */
public class Greeter {
  private final Repo repo;

  public Greeter(Repo repo) {
    this.repo = repo;
  }

  @Async
  public Coroutine<String> greet(int id) {
    await(sleep(1));
    String name = await(repo.load(id));
    return done("hello " + name);
  }
}
