package lib;

public abstract class Animal {
  public String move() {
    return "moves";
  }
}
