package com.example;

/** A hierarchy only the versioned classes have. */
abstract class Only17 {
  abstract String m();

  static final class X extends Only17 {
    @Override
    String m() {
      return "X";
    }
  }

  static final class Y extends Only17 {
    @Override
    String m() {
      return "Y";
    }
  }
}
