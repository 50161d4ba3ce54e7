package demo;

import static dev.coroutine.Coroutines.await;
import static dev.coroutine.Coroutines.done;
import static dev.coroutine.Coroutines.run;
import static dev.coroutine.Coroutines.sleep;

import dev.coroutine.Async;
import dev.coroutine.Coroutine;
import java.io.InputStream;
import org.objectweb.asm.ClassReader;

/** An application with its own (older) ASM on the class path, next to the agent's shaded one. */
public class AsmMain {
  @Async
  static Coroutine<Integer> add(int a, int b) {
    await(sleep(10));
    return done(a + b);
  }

  public static void main(String[] args) throws Exception {
    try (InputStream in = AsmMain.class.getResourceAsStream("AsmMain.class")) {
      ClassReader reader = new ClassReader(in);
      System.out.println("app ASM read " + reader.getClassName());
    }
    System.out.println(
        "app ASM from " + ClassReader.class.getProtectionDomain().getCodeSource().getLocation());
    System.out.println("add(1, 2) = " + run(add(1, 2)));
  }
}
