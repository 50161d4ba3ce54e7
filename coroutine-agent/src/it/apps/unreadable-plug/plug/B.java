package plug;

public class B extends Base {
  @Override
  public String toString() {
    return "B";
  }
}
