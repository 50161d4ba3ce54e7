package demo;

public final class Circ extends Shape implements Named {
  public String name() {
    return "circ";
  }
}
