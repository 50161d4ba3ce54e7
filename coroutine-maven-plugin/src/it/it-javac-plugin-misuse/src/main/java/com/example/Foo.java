package com.example;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.sleep;

public class Foo {
  static int notAsync() {
    await(sleep(10)); // MISUSE
    return 1;
  }
}
