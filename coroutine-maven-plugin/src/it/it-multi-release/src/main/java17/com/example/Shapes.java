package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;

/**
 * The version for JDK 17 and later: A and B extend Base2, which the base version does not have, so
 * a local holding either has another type across the await than in the base version.
 */
final class Shapes {
  abstract static class Base1 {
    abstract String n();
  }

  abstract static class Base2 {
    abstract String n2();
  }

  static final class A extends Base2 {
    @Override
    String n2() {
      return "A2";
    }
  }

  static final class B extends Base2 {
    @Override
    String n2() {
      return "B2";
    }
  }

  private Shapes() {}

  @Async
  static Coroutine<String> pick(int c) {
    Base2 x;
    if (c > 0) {
      x = new A();
    } else {
      x = new B();
    }
    await(sleep(1));
    Only17 o;
    if (c > 1) {
      o = new Only17.X();
    } else {
      o = new Only17.Y();
    }
    await(sleep(1));
    return done("v17:" + x.n2() + o.m());
  }
}
