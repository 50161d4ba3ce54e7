package com.example;

import dev.coroutine.Coroutines;

public class Main {
  public static void main(String[] args) {
    System.out.println(
        "java " + Runtime.version().feature() + ": " + Coroutines.run(Shapes.pick(2)));
  }
}
