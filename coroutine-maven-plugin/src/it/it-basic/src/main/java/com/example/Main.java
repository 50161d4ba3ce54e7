package com.example;

import static dev.coroutine.Coroutines.run;

public class Main {
  public static void main(String[] args) {
    System.out.println("add(1, 2) = " + run(Calc.add(1, 2)));
  }
}
