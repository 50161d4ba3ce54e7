package dev.coroutine.transform.samples.other;

/** Hands out an instance of a class that code outside this package cannot name. */
public final class Outer {
  private Outer() {}

  /** A public supertype of the hidden class. */
  public static class Pub {
    private final String prefix;

    Pub(String prefix) {
      this.prefix = prefix;
    }

    public String foo(int n) {
      return prefix + n;
    }
  }

  /** Package-private: inaccessible from other packages. */
  static final class Hidden extends Pub {
    Hidden() {
      super("hidden");
    }
  }

  public static Hidden make() {
    return new Hidden();
  }

  /** {@link #useHidden} with a number: the hidden value is the first argument. */
  public static String useHidden(Hidden h, int n) {
    return "used " + h.foo(n);
  }

  /** Takes the hidden class itself: a caller outside the package passes one it cannot name. */
  public static String useHidden(Hidden h) {
    return "used " + h.foo(0);
  }
}
