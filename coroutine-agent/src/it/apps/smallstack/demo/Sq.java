package demo;

public final class Sq extends Shape implements Named {
  public String name() {
    return "sq";
  }
}
