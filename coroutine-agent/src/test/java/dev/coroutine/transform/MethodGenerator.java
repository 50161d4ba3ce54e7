package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random method bodies in two renderings of the same program: an {@code @Async} one,
 * where chosen expressions are awaited through helper coroutines that finish now, after a yield, or
 * after a loop trip (and sometimes throw), and a plain one where the same expressions are computed
 * directly. Both log their side effects and return a checksum of their locals, so the two runs must
 * agree exactly.
 *
 * <p>Generated code mixes locals of every primitive type, Strings and arrays; if/else, switch,
 * for/while/do loops with break and continue; try/catch/finally nested; awaits inside expressions
 * with other values on the operand stack, inside constructor arguments and string concatenations.
 */
final class MethodGenerator {
  /** Kinds of locals the generator declares. */
  private enum Kind {
    INT("int"),
    LONG("long"),
    DOUBLE("double"),
    FLOAT("float"),
    BOOL("boolean"),
    CHAR("char"),
    STRING("String"),
    ARRAY("int[]");

    final String java;

    Kind(String java) {
      this.java = java;
    }
  }

  private record Local(String name, Kind kind) {}

  /** The random source: everything generated follows from its seed. */
  private final Random rnd;

  /** Locals in scope, innermost scope last. */
  private final List<List<Local>> scopes = new ArrayList<>();

  /** Counter for fresh names. */
  private int names;

  /** True while rendering the async version. */
  private boolean async;

  /** Loop nesting depth (for break/continue). */
  private int loops;

  MethodGenerator(long seed) {
    this.rnd = new Random(seed);
  }

  /** The helper class both renderings call: awaitable values, checks, a boxed constructor. */
  static String helperSource(String pkg) {
    return "package "
        + pkg
        + ";\n"
        + "import static dev.coroutine.Coroutines.*;\n"
        + "import dev.coroutine.*;\n"
        + "public final class V {\n"
        + "  public static Awaitable<Void> pause(int mode) {\n"
        + "    switch (mode) {\n"
        + "      case 0: return done();\n"
        + "      case 1: return sleep(0);\n"
        + "      case 2: { EventLoop l = getRunningLoop(); Future<Void> f = l.createFuture();"
        + " l.callSoon(() -> f.setResult(null)); return f; }\n"
        + "      default: { Future<Void> f = getRunningLoop().createFuture(); f.setResult(null);"
        + " return f; }\n"
        + "    }\n"
        + "  }\n"
        + "  @Async public static Coroutine<Integer> i(int x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Long> l(long x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Double> d(double x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Float> f(float x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Boolean> b(boolean x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Character> c(char x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<String> s(String x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<int[]> a(int[] x, int m) { await(pause(m)); return done(x); }\n"
        + "  @Async public static Coroutine<Void> check(boolean fail, String msg, int m) {\n"
        + "    await(pause(m)); if (fail) throw new IllegalStateException(msg); return done(); }\n"
        + "  public static void checkPlain(boolean fail, String msg) {\n"
        + "    if (fail) throw new IllegalStateException(msg); }\n"
        + "  public static long mix(long a, int b, double c) { return a * 31 + b * 7 + (long) c; }\n"
        + "  public static String cat(String a, int b, String c) { return a + b + c; }\n"
        + "  public static final class Box { public final long v;"
        + " public Box(long v) { this.v = v; } public Box(int a, long b) { this.v = a + b; } }\n"
        + "  public static long hash(int[] a) { long h = 1; for (int x : a) h = h * 31 + x; return h; }\n"
        + "}\n";
  }

  /** One method pair: {@code async_<n>} and {@code plain_<n>} with the same generated body. */
  String[] methodPair(int n) {
    names = 0;
    scopes.clear();
    long seed = rnd.nextLong();
    String[] out = new String[2];
    for (int version = 0; version < 2; version++) {
      async = version == 0;
      Random saved = new Random(seed);
      Random outer = swap(saved);
      scopes.clear();
      names = 0;
      loops = 0;
      scopes.add(new ArrayList<>());
      StringBuilder sb = new StringBuilder();
      String params = "int p0, long p1, String p2, java.util.List<String> log";
      scopes.get(0).add(new Local("p0", Kind.INT));
      scopes.get(0).add(new Local("p1", Kind.LONG));
      scopes.get(0).add(new Local("p2", Kind.STRING));
      if (async) {
        sb.append("  @Async public static Coroutine<Long> async_").append(n).append('(');
      } else {
        sb.append("  public static long plain_").append(n).append('(');
      }
      sb.append(params).append(") {\n");
      block(sb, 3, 2);
      sb.append("    long h = 17;\n");
      for (List<Local> scope : scopes) {
        for (Local l : scope) {
          sb.append("    h = h * 31 + ").append(hashOf(l)).append(";\n");
        }
      }
      sb.append(async ? "    return done(h);\n" : "    return h;\n");
      sb.append("  }\n");
      out[version] = sb.toString();
      swap(outer);
    }
    return out;
  }

  /** The random source in use; swapped so both renderings draw the same numbers. */
  private Random current;

  private Random swap(Random r) {
    Random old = current;
    current = r;
    return old;
  }

  private int next(int bound) {
    return (current != null ? current : rnd).nextInt(bound);
  }

  private String hashOf(Local l) {
    switch (l.kind) {
      case INT:
      case LONG:
      case CHAR:
        return "(long) " + l.name;
      case DOUBLE:
      case FLOAT:
        return "Double.doubleToLongBits(" + l.name + ")";
      case BOOL:
        return "(" + l.name + " ? 1L : 0L)";
      case STRING:
        return l.name + ".hashCode()";
      default:
        return "V.hash(" + l.name + ")";
    }
  }

  private void block(StringBuilder sb, int statements, int depth) {
    for (int i = 0; i < statements; i++) {
      statement(sb, depth);
    }
  }

  private void statement(StringBuilder sb, int depth) {
    int choice = next(depth > 0 ? 11 : 5);
    switch (choice) {
      case 0:
      case 1:
        declare(sb);
        return;
      case 2:
        assign(sb);
        return;
      case 3:
        sb.append("    log.add(").append(expr(Kind.STRING, 2)).append(");\n");
        return;
      case 4:
        {
          String cond = next(3) == 0 ? expr(Kind.BOOL, 1) : "(" + expr(Kind.INT, 1) + " > 90)";
          String msg = "\"e" + names++ + "\"";
          String m = mode();
          sb.append("    ")
              .append(
                  async
                      ? "await(V.check(" + cond + ", " + msg + ", " + m + "));"
                      : "V.checkPlain(" + cond + ", " + msg + ");")
              .append('\n');
          return;
        }
      case 5:
        sb.append("    if (").append(expr(Kind.BOOL, 2)).append(") {\n");
        scoped(sb, depth - 1);
        sb.append("    } else {\n");
        scoped(sb, depth - 1);
        sb.append("    }\n");
        return;
      case 6:
        {
          String k = "k" + names++;
          sb.append("    for (int ")
              .append(k)
              .append(" = 0; ")
              .append(k)
              .append(" < ")
              .append(1 + next(3))
              .append("; ")
              .append(k)
              .append("++) {\n");
          loops++;
          scopes.add(new ArrayList<>(List.of(new Local(k, Kind.INT))));
          block(sb, 1 + next(2), depth - 1);
          loopExit(sb);
          scopes.remove(scopes.size() - 1);
          loops--;
          sb.append("    }\n");
          return;
        }
      case 7:
        {
          String w = "w" + names++;
          sb.append("    int ").append(w).append(" = ").append(next(3)).append(";\n");
          scopes.get(scopes.size() - 1).add(new Local(w, Kind.INT));
          boolean doWhile = next(2) == 0;
          sb.append(doWhile ? "    do {\n" : "    while (" + w + " < 3) {\n");
          sb.append("    ").append(w).append("++;\n");
          loops++;
          scoped(sb, depth - 1);
          loopExit(sb);
          loops--;
          sb.append(doWhile ? "    } while (" + w + " < 3);\n" : "    }\n");
          return;
        }
      case 8:
        String ex = "x" + names++;
        sb.append("    try {\n");
        scoped(sb, depth - 1);
        sb.append("    } catch (IllegalStateException ").append(ex).append(") {\n");
        sb.append("    log.add(\"caught \" + ").append(ex).append(".getMessage());\n");
        scoped(sb, depth - 1);
        if (next(2) == 0) {
          sb.append("    } finally {\n");
          sb.append("    log.add(\"finally\");\n");
          scoped(sb, depth - 1);
        }
        sb.append("    }\n");
        return;
      case 9:
        sb.append("    switch (").append(expr(Kind.INT, 1)).append(" & 3) {\n");
        for (int c = 0; c < 3; c++) {
          sb.append("    case ").append(c).append(": {\n");
          scoped(sb, depth - 1);
          sb.append("    ").append(next(3) == 0 ? "}\n" : "break; }\n");
        }
        sb.append("    default: log.add(\"default\");\n    }\n");
        return;
      default:
        sb.append("    log.add(\"box \" + new V.Box(").append(expr(Kind.LONG, 2)).append(").v);\n");
    }
  }

  private void loopExit(StringBuilder sb) {
    if (loops > 0 && next(3) == 0) {
      sb.append("    if (")
          .append(expr(Kind.BOOL, 1))
          .append(") ")
          .append(next(2) == 0 ? "break" : "continue")
          .append(";\n");
    }
  }

  private void scoped(StringBuilder sb, int depth) {
    scopes.add(new ArrayList<>());
    block(sb, 1 + next(2), Math.max(0, depth));
    scopes.remove(scopes.size() - 1);
  }

  private void declare(StringBuilder sb) {
    Kind k = Kind.values()[next(Kind.values().length)];
    String name = "v" + names++;
    sb.append("    ")
        .append(k.java)
        .append(' ')
        .append(name)
        .append(" = ")
        .append(expr(k, 2))
        .append(";\n");
    scopes.get(scopes.size() - 1).add(new Local(name, k));
  }

  private void assign(StringBuilder sb) {
    List<Local> all = new ArrayList<>();
    scopes.forEach(all::addAll);
    Local l = all.get(next(all.size()));
    if (l.name.startsWith("k") || l.name.startsWith("w")) {
      sb.append("    log.add(\"\" + ").append(l.name).append(");\n");
      return; // loop counters are not reassigned: the loops must end
    }
    sb.append("    ").append(l.name).append(" = ").append(expr(l.kind, 2)).append(";\n");
  }

  private String mode() {
    return Integer.toString(next(4));
  }

  private String local(Kind k) {
    List<Local> matching = new ArrayList<>();
    for (List<Local> scope : scopes) {
      for (Local l : scope) {
        if (l.kind == k) {
          matching.add(l);
        }
      }
    }
    return matching.isEmpty() ? null : matching.get(next(matching.size())).name;
  }

  /** An expression of kind {@code k}; awaits appear only in the async rendering. */
  private String expr(Kind k, int depth) {
    int c = next(depth > 0 ? 6 : 2);
    if (c == 1) {
      String l = local(k);
      if (l != null) {
        boolean counter = l.startsWith("k") || l.startsWith("w"); // loops must end
        int form = !counter && depth > 0 ? next(3) : 2;
        if (form == 0) {
          // an assignment inside an expression: a load of l earlier in the same expression may
          // be on the stack under a later await while l changes (a resume must not reload it)
          return "(" + l + " = " + expr(k, depth - 1) + ")";
        }
        if (form == 1 && (k == Kind.INT || k == Kind.LONG)) {
          // the shape itself: l loaded (and left on the stack), then assigned, then an await
          String assigned = expr(k, depth - 1);
          return "("
              + l
              + " + (("
              + l
              + " = "
              + assigned
              + ") * 3 + "
              + awaited(k, expr(k, depth - 1))
              + "))";
        }
        return l;
      }
      c = 0;
    }
    if (c == 0) {
      return literal(k);
    }
    if (c == 2 || c == 3) {
      return awaited(k, expr(k, depth - 1));
    }
    switch (k) {
      case INT:
        return c == 4
            ? "(" + expr(Kind.INT, depth - 1) + " + " + expr(Kind.INT, depth - 1) + " * 3)"
            : "(" + expr(Kind.STRING, depth - 1) + ".length() ^ " + expr(Kind.INT, depth - 1) + ")";
      case LONG:
        return c == 4
            ? "V.mix("
                + expr(Kind.LONG, depth - 1)
                + ", "
                + expr(Kind.INT, depth - 1)
                + ", "
                + expr(Kind.DOUBLE, depth - 1)
                + ")"
            : "new V.Box(" + expr(Kind.INT, depth - 1) + ", " + expr(Kind.LONG, depth - 1) + ").v";
      case DOUBLE:
        return "(" + expr(Kind.DOUBLE, depth - 1) + " * 0.5 + " + expr(Kind.LONG, depth - 1) + ")";
      case FLOAT:
        return "(" + expr(Kind.FLOAT, depth - 1) + " + (float) " + expr(Kind.INT, depth - 1) + ")";
      case BOOL:
        return c == 4
            ? "(" + expr(Kind.INT, depth - 1) + " > " + expr(Kind.INT, depth - 1) + ")"
            : "(" + expr(Kind.BOOL, depth - 1) + " != " + expr(Kind.BOOL, depth - 1) + ")";
      case CHAR:
        return "(char) ('a' + (" + expr(Kind.INT, depth - 1) + " & 15))";
      case STRING:
        return c == 4
            ? "(\"s\" + "
                + expr(Kind.INT, depth - 1)
                + " + "
                + expr(Kind.STRING, depth - 1)
                + " + "
                + expr(Kind.CHAR, depth - 1)
                + ")"
            : "V.cat("
                + expr(Kind.STRING, depth - 1)
                + ", "
                + expr(Kind.INT, depth - 1)
                + ", "
                + expr(Kind.STRING, depth - 1)
                + ")";
      default:
        return "new int[] {" + expr(Kind.INT, depth - 1) + ", " + expr(Kind.INT, depth - 1) + "}";
    }
  }

  private String awaited(Kind k, String inner) {
    String m = mode(); // drawn in both renderings so they stay in step
    if (!async) {
      return "(" + inner + ")";
    }
    String f;
    switch (k) {
      case INT:
        f = "i";
        break;
      case LONG:
        f = "l";
        break;
      case DOUBLE:
        f = "d";
        break;
      case FLOAT:
        f = "f";
        break;
      case BOOL:
        f = "b";
        break;
      case CHAR:
        f = "c";
        break;
      case STRING:
        f = "s";
        break;
      default:
        f = "a";
    }
    return "await(V." + f + "(" + inner + ", " + m + "))";
  }

  private String literal(Kind k) {
    switch (k) {
      case INT:
        return Integer.toString(next(200) - 100);
      case LONG:
        return (next(100000) - 50000) + "L";
      case DOUBLE:
        return next(1000) / 8.0 + "";
      case FLOAT:
        return next(1000) / 4.0 + "f";
      case BOOL:
        return next(2) == 0 ? "true" : "false";
      case CHAR:
        return "'" + (char) ('a' + next(26)) + "'";
      case STRING:
        return "\"t" + next(100) + "\"";
      default:
        return "new int[] {" + next(10) + "}";
    }
  }
}
