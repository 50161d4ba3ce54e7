package demo;

/**
 * Loads {@link Heavy}, and so has the agent rewrite it, on a thread with the JVM's smallest stack;
 * it was loaded unchanged there ("internal error": StackOverflowError) and its first await failed.
 */
public class SmallStack {
  public static void main(String[] args) throws Exception {
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                Class.forName("demo.Heavy")
                    .getMethod("main", String[].class)
                    .invoke(null, (Object) new String[0]);
                System.out.println("heavy ran");
              } catch (Throwable e) {
                Throwable c = e;
                while (c.getCause() != null) {
                  c = c.getCause();
                }
                System.out.println("FAILED " + c);
              }
            },
            "small-stack",
            136 * 1024);
    t.start();
    t.join();
  }
}
