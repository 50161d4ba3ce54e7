package demo;

/** Loads a class the agent must refuse; the application itself never calls the bad method. */
public class RefusedMain {
  public static void main(String[] args) {
    System.out.println(Bad.hello());
  }
}
