package com.example;

import static dev.coroutine.Coroutines.run;

import java.util.List;

public class Main {
  public static void main(String[] args) {
    System.out.println("add(1, 2) = " + run(Calc.add(1, 2)));
    System.out.println("describe = " + run(new Calc().describe(List.of(1, 2), 3L)));
  }
}
