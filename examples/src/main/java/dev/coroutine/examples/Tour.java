package dev.coroutine.examples;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A tour of all the examples, the seed's code examples in its order, then the crawler (the case its
 * section 1 motivates) and async generators: what the README's first quick-start command runs. Each
 * example is an ordinary program with its own {@code main}; the tour calls them one after the
 * other, each under a banner naming the seed section it mirrors. Arguments, if any, pick examples
 * by name ({@code Tour GatherFactorial Crawler}). The crawler runs in its default mode ({@code
 * HttpClient}): with {@code --mode=both} it would take ~20 s instead of ~10.
 */
public final class Tour {
  private Tour() {}

  /** A program of the tour. */
  @FunctionalInterface
  interface Program {
    void main(String[] args) throws Exception;
  }

  /** One stop of the tour. */
  record Stop(String section, Program program) {}

  /** The examples, by class name, in the tour's order (examples/README.md's table). */
  static final Map<String, Stop> STOPS = new LinkedHashMap<>();

  static {
    STOPS.put(
        "SayAfter", new Stop("2.1 async functions: sequential awaits vs tasks", SayAfter::main));
    STOPS.put("CreateTask", new Stop("2.2 tasks and the event loop", CreateTask::main));
    STOPS.put("GatherFactorial", new Stop("2.2.2 asyncio.gather", GatherFactorial::main));
    STOPS.put("TaskCallback", new Stop("2.3 task callbacks", TaskCallback::main));
    STOPS.put("RunMain", new Stop("2.4 running an asyncio program", RunMain::main));
    STOPS.put("SimpleWait", new Stop("2.5 simple waiting", SimpleWait::main));
    STOPS.put("DebugMode", new Stop("3 debug mode", DebugMode::main));
    STOPS.put("Threads", new Stop("4 concurrency and multithreading", Threads::main));
    STOPS.put(
        "Crawler", new Stop("1 the motivating case: a concurrent web crawler", Crawler::main));
    STOPS.put(
        "AsyncGenerators",
        new Stop("beyond the seed: async generators and async for", AsyncGenerators::main));
  }

  public static void main(String[] args) throws Exception {
    List<String> names = args.length == 0 ? List.copyOf(STOPS.keySet()) : List.of(args);
    long tourStart = System.nanoTime();
    for (String name : names) {
      Stop stop = STOPS.get(name);
      if (stop == null) {
        throw new IllegalArgumentException(
            "no example named " + name + "; the examples are " + STOPS.keySet());
      }
      System.out.println();
      System.out.println("=== " + name + " (seed " + stop.section() + ")");
      long start = System.nanoTime();
      stop.program().main(new String[0]);
      System.out.println(
          String.format(
              Locale.ROOT, "=== %s done in %.1f s", name, (System.nanoTime() - start) / 1e9));
    }
    System.out.println();
    System.out.println(
        String.format(
            Locale.ROOT,
            "Tour finished: %d examples in %.1f s",
            names.size(),
            (System.nanoTime() - tourStart) / 1e9));
  }
}
