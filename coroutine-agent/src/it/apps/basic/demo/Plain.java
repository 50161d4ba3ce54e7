package demo;

/** Mentions no coroutine: the agent's pre-filter must leave it alone without parsing it. */
public class Plain {
  static String greeting() {
    return "hello from a plain class";
  }
}
