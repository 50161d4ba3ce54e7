package dev.coroutine.maven.samples;

/** Input for the tests: mentions no coroutine. */
public class PlainSample {
  public static int one() {
    return 1;
  }
}
