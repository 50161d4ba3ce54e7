package lib;

/** The Cat the plugin is built against and loads: an Animal. */
public class Cat extends Animal implements Named {
  public String name() {
    return "cat";
  }
}
