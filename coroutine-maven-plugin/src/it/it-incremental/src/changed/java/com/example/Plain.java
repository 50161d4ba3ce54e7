package com.example;

public class Plain {
  public static int one() {
    return 1;
  }
}
