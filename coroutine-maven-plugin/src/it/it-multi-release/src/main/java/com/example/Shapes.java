package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/** The base version: A and B extend Base1. */
final class Shapes {
  abstract static class Base1 {
    abstract String n();
  }

  static final class A extends Base1 {
    @Override
    String n() {
      return "A1";
    }
  }

  static final class B extends Base1 {
    @Override
    String n() {
      return "B1";
    }
  }

  private Shapes() {}

  @Async
  static Coroutine<String> pick(int c) {
    Base1 x;
    if (c > 0) {
      x = new A();
    } else {
      x = new B();
    }
    await(sleep(1));
    return done("base:" + x.n());
  }
}
