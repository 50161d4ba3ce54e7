package modcheck;

import dev.coroutine.Coroutine;
import dev.coroutine.Coroutines;
import dev.coroutine.Future;
import dev.coroutine.sync.Queue;
import java.util.List;

/**
 * Run by {@code ModuleDescriptorTest} in a child JVM with the runtime on the module path: prints
 * the runtime's module, the outcome of a small program (a queue, gather, sleep), and what reaching
 * into the unexported {@code dev.coroutine.internal} gives.
 */
public final class ModulePathMain {
  private ModulePathMain() {}

  public static void main(String[] args) throws Exception {
    System.out.println(Coroutines.class.getModule());
    Coroutine<List<Integer>> main = Coroutines.toThread(() -> List.of(40, 2));
    List<Integer> parts = Coroutines.run(main);
    Queue<Integer> q = new Queue<>();
    q.putNowait(parts.get(0) + parts.get(1));
    System.out.println("run: " + q.getNowait());
    try {
      Class.forName("dev.coroutine.internal.Futures")
          .getMethod("failureOf", Future.class)
          .invoke(null, new Future<Object>());
      System.out.println("internal: accessible");
    } catch (IllegalAccessException e) {
      System.out.println("internal: IllegalAccessException");
    }
  }
}
