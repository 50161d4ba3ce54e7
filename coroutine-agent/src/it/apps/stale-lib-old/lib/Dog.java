package lib;

public class Dog extends Animal implements Named {
  public String name() {
    return "dog";
  }
}
