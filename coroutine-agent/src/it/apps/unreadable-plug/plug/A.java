package plug;

public class A extends Base {
  @Override
  public String toString() {
    return "A";
  }
}
