package lib;

/** The older Cat, on the application's class path: not an Animal yet. */
public class Cat implements Named {
  public String name() {
    return "old cat";
  }
}
