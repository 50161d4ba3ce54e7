package dev.coroutine.transform.samples;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.transform.samples.Later.v;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.util.List;

/** A superclass with a plain and an @Async method that subclasses override and call. */
public class Base {
  protected final List<String> log;
  protected int field = 10;

  public Base(List<String> log) {
    this.log = log;
  }

  public String describe() {
    return "Base";
  }

  @Async
  public Coroutine<String> compute(boolean s, int n) {
    log.add("Base.compute");
    int x = await(v(log, s, n));
    return done("base" + (x + field));
  }
}
