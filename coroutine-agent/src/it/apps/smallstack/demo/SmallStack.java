package demo;

/**
 * Loads {@link Heavy}, and so has the agent rewrite it, on a thread with the JVM's smallest stack
 * (or the stack given in bytes); it was loaded unchanged there ("internal error":
 * StackOverflowError) and its first await failed.
 */
public class SmallStack {
  public static void main(String[] args) throws Exception {
    long stack = args.length > 0 ? Long.parseLong(args[0]) : 136 * 1024;
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                if (args.length > 1 && args[1].equals("hello")) {
                  // an @Async default method, loaded inside the definition of a class using it
                  System.out.println(
                      "hello: " + Class.forName("demo.Hello").getMethod("go").invoke(null));
                  return;
                }
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
            stack);
    t.start();
    t.join();
  }
}
