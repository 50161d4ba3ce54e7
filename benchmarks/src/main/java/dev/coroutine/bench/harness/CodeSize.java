package dev.coroutine.bench.harness;

import dev.coroutine.Coroutine;
import dev.coroutine.transform.ClassFileLocator;
import dev.coroutine.transform.CoroutineTransformer;
import dev.coroutine.transform.TransformResult;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * S1, code size: how much bytecode the transformer adds per await. A fixed corpus of generated
 * {@code @Async} methods with {@link #AWAITS} awaits each (one class per method, so a method the
 * transformer refuses does not hide the others), compiled by javac and rewritten by {@link
 * CoroutineTransformer}; the row compares the bytes of the javac method's {@code Code} with the
 * rewritten method's (the stub plus the state-machine body, the part the JVM's 65,535-byte limit
 * applies to). Deterministic: no timing, the same numbers on every machine for one JDK's javac.
 *
 * <p>The generated methods are what long workflows look like: seven locals of mixed types ({@code
 * long}, {@code int}, {@code double}, {@code String}, {@code StringBuilder}, {@code int[]}, a
 * {@code List}) live across the awaits, besides the parameters, and the awaits sit in straight
 * code, both arms of {@code if}s, {@code for} and for-each loops, {@code try} blocks and their
 * handlers, {@code switch} cases, and in the middle of expressions with other values on the operand
 * stack.
 *
 * <pre>
 * java -cp ... dev.coroutine.bench.harness.CodeSize [--out=RESULTS.md] [--work=target/bench-work]
 * </pre>
 *
 * rewrites only the code-size section of {@code RESULTS.md} (between {@link #BEGIN} and {@link
 * #END}), keeping the rest of the file as the last full comparison wrote it.
 */
public final class CodeSize {
  /** The corpus: one method per entry, with this many awaits. */
  static final int[] AWAITS = {5, 20, 50, 200, 400};

  /** The goal of issue 12: rewritten at most this many times the javac method. */
  static final double GOAL_FACTOR = 2.0;

  /** First line of the code-size section in RESULTS.md. */
  static final String BEGIN = "<!-- S1 code size: begin (written by CodeSize) -->";

  /** Last line of the code-size section in RESULTS.md. */
  static final String END = "<!-- S1 code size: end -->";

  private CodeSize() {}

  /**
   * One method of the corpus measured.
   *
   * @param awaits awaits in its source
   * @param original bytes of the javac method's code
   * @param stub bytes of the rewritten method (the stub that builds the frame), or -1 if refused
   * @param body bytes of the state-machine body, or -1 if refused
   * @param classBefore bytes of the class file from javac
   * @param classAfter bytes of the rewritten class file, or -1 if refused
   * @param mapsBefore bytes of the javac class's StackMapTable attributes
   * @param mapsAfter bytes of the rewritten class's, or -1 if refused
   * @param refusal the transformer's diagnostic if it refused the class, else null
   */
  record Measured(
      int awaits,
      int original,
      int stub,
      int body,
      int classBefore,
      int classAfter,
      int mapsBefore,
      int mapsAfter,
      String refusal) {
    double factor() {
      return (stub + body) / (double) original;
    }

    double addedPerAwait() {
      return (stub + body - original) / (double) awaits;
    }
  }

  public static void main(String[] argv) throws Exception {
    Map<String, String> args = Options.parse(argv);
    Path out = Path.of(args.getOrDefault("out", "RESULTS.md"));
    Path work = Path.of(args.getOrDefault("work", "target/bench-work"));
    List<Measured> rows = measure(work);
    for (Measured m : rows) {
      System.out.println(line(m));
    }
    String old = Files.exists(out) ? Files.readString(out) : "# Benchmark results\n";
    Files.writeString(out, withSection(old, section(rows)));
    System.out.println("[bench] wrote the code-size section of " + out.toAbsolutePath());
  }

  /** Generates, compiles and rewrites the corpus; one result per entry of {@link #AWAITS}. */
  static List<Measured> measure(Path work) throws IOException {
    Path dir = work.resolve("s1-code-size");
    Path src = dir.resolve("src/gen");
    Path classes = dir.resolve("classes");
    Files.createDirectories(src);
    Files.createDirectories(classes);
    List<Path> files = new ArrayList<>();
    for (int n : AWAITS) {
      Path f = src.resolve(className(n) + ".java");
      Files.writeString(f, source(n));
      files.add(f);
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("S1 needs a JDK (javax.tools) to compile its corpus");
    }
    String runtime = Path.of(location(Coroutine.class)).toString();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      List<String> options =
          List.of("--release", "17", "-g", "-proc:none", "-cp", runtime, "-d", classes.toString());
      if (!javac
          .getTask(null, fm, null, options, null, fm.getJavaFileObjectsFromPaths(files))
          .call()) {
        throw new IllegalStateException("S1 corpus does not compile: " + src);
      }
    }
    ClassFileLocator corpus =
        name -> {
          Path p = classes.resolve(name + ".class");
          try {
            return Files.exists(p) ? Files.readAllBytes(p) : null;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    CoroutineTransformer transformer =
        new CoroutineTransformer(
            corpus.orElse(ClassFileLocator.of(CodeSize.class.getClassLoader())));
    List<Measured> rows = new ArrayList<>();
    for (int n : AWAITS) {
      byte[] before = Files.readAllBytes(classes.resolve("gen/" + className(n) + ".class"));
      TransformResult r = transformer.transform(before);
      Map<String, Integer> javacCode = codeLengths(before);
      int original = javacCode.get(METHOD + ASYNC_DESC);
      if (r.failed() || !r.changed()) {
        String why =
            r.diagnostics().stream().map(Object::toString).collect(Collectors.joining("; "));
        rows.add(
            new Measured(
                n,
                original,
                -1,
                -1,
                before.length,
                -1,
                javacCode.get(STACK_MAPS),
                -1,
                why.isEmpty() ? "not rewritten" : why));
        continue;
      }
      Map<String, Integer> rewritten = codeLengths(r.bytes());
      int stub = rewritten.get(METHOD + ASYNC_DESC);
      int body = -1;
      for (Map.Entry<String, Integer> e : rewritten.entrySet()) {
        if (e.getKey().startsWith(METHOD + "(") && !e.getKey().equals(METHOD + ASYNC_DESC)) {
          body = e.getValue();
        }
      }
      rows.add(
          new Measured(
              n,
              original,
              stub,
              body,
              before.length,
              r.bytes().length,
              javacCode.get(STACK_MAPS),
              rewritten.get(STACK_MAPS),
              null));
    }
    return rows;
  }

  // ---- the corpus ----------------------------------------------------------------------------

  /** Name of the measured method in every corpus class. */
  static final String METHOD = "workflow";

  /** Its descriptor. */
  static final String ASYNC_DESC = "(ILjava/lang/String;Ljava/util/List;)Ldev/coroutine/Coroutine;";

  static String className(int awaits) {
    return "Awaits" + awaits;
  }

  /**
   * The source of the corpus class with {@code awaits} awaits in {@link #METHOD}: the statements
   * below in turn, each a template with one or two awaits, the last ones cut to fit exactly.
   */
  static String source(int awaits) {
    StringBuilder body = new StringBuilder();
    int left = awaits;
    for (int j = 0; left > 0; j++) {
      String[] t = template(j % TEMPLATES, j);
      int uses = Integer.parseInt(t[0]);
      if (uses > left) {
        t = template(0, j);
        uses = 1;
      }
      body.append(t[1]);
      left -= uses;
    }
    return """
        package gen;

        import static dev.coroutine.Coroutines.await;
        import static dev.coroutine.Coroutines.done;

        import dev.coroutine.Async;
        import dev.coroutine.Coroutine;
        import java.util.ArrayList;
        import java.util.List;

        public class %1$s {
          @Async
          static Coroutine<Integer> number(int v) {
            return done(v);
          }

          @Async
          static Coroutine<String> text(String prefix, int v) {
            return done(prefix + v);
          }

          @Async
          static Coroutine<Double> fraction(int v) {
            return done(v / 8.0);
          }

          @Async
          static Coroutine<Integer> risky(int v) {
            if (v %% 5 == 0) {
              throw new IllegalStateException("risky " + v);
            }
            return done(v);
          }

          @Async
          static Coroutine<Long> %2$s(int n, String name, List<String> out) {
            long total = n;
            int count = 1;
            double ratio = 0.5;
            String label = name;
            StringBuilder sb = new StringBuilder();
            int[] hist = new int[4];
            List<String> seen = new ArrayList<>();
        %3$s    out.add(sb.toString());
            return done(total + count + (long) ratio + label.length() + hist[0] + seen.size());
          }
        }
        """
        .formatted(className(awaits), METHOD, body);
  }

  /** How many statement templates {@link #template} knows. */
  private static final int TEMPLATES = 7;

  /** Statement template {@code t} for position {@code j}: {awaits in it, source}. */
  private static String[] template(int t, int j) {
    switch (t) {
      case 0:
        return new String[] {"1", "    total += await(number(count + %d));\n".formatted(j)};
      case 1:
        return new String[] {
          "2",
          """
              if ((count & 1) == 0) {
                label = await(text(label.substring(0, 1), %1$d));
              } else {
                ratio += await(fraction(count + %1$d));
              }
          """
              .formatted(j)
        };
      case 2:
        return new String[] {
          "1",
          """
              for (int k = 0; k < 2; k++) {
                count += await(number(k + %d));
                hist[k] += count;
              }
          """
              .formatted(j)
        };
      case 3:
        return new String[] {
          "2",
          """
              try {
                total += await(risky(count + %1$d));
              } catch (IllegalStateException e) {
                seen.add(e.getMessage());
                count -= await(number(%1$d));
              }
          """
              .formatted(j)
        };
      case 4:
        return new String[] {
          "1", "    sb.append(label).append(':').append(await(text(name, %d)));\n".formatted(j)
        };
      case 5:
        return new String[] {
          "1",
          """
              for (String s : seen) {
                if (s.length() > await(number(%d))) {
                  break;
                }
              }
          """
              .formatted(j)
        };
      default:
        return new String[] {
          "2",
          """
              switch (count %% 3) {
                case 0:
                  hist[0] += await(number(%1$d));
                  break;
                case 1:
                  label = label + await(text("x", %1$d));
                  break;
                default:
                  ratio *= 0.5;
              }
          """
              .formatted(j)
        };
    }
  }

  private static java.net.URI location(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- reading code lengths ------------------------------------------------------------------

  /** Key of {@link #codeLengths}'s entry for the class's StackMapTable attributes. */
  static final String STACK_MAPS = "<StackMapTable>";

  /**
   * The length of each method's code ({@code code_length} of its {@code Code} attribute), by name +
   * descriptor, and under {@link #STACK_MAPS} the bytes of all the class's {@code StackMapTable}
   * attributes (with their headers), read straight from the class file (JVMS 4.1, 4.6, 4.7.3,
   * 4.7.4).
   */
  static Map<String, Integer> codeLengths(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    in.readInt(); // magic
    in.readUnsignedShort(); // minor
    in.readUnsignedShort(); // major
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1: // Utf8
          utf8[i] = in.readUTF();
          break;
        case 3: // Integer
        case 4: // Float
        case 9: // Fieldref
        case 10: // Methodref
        case 11: // InterfaceMethodref
        case 12: // NameAndType
        case 17: // Dynamic
        case 18: // InvokeDynamic
          in.skipBytes(4);
          break;
        case 5: // Long
        case 6: // Double
          in.skipBytes(8);
          i++;
          break;
        case 7: // Class
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          in.skipBytes(2);
          break;
        case 15: // MethodHandle
          in.skipBytes(3);
          break;
        default:
          throw new IOException("unknown constant pool tag " + tag);
      }
    }
    in.skipBytes(6); // access, this, super
    in.skipBytes(2 * in.readUnsignedShort()); // interfaces
    int fields = in.readUnsignedShort();
    for (int f = 0; f < fields; f++) {
      in.skipBytes(6);
      skipAttributes(in);
    }
    Map<String, Integer> lengths = new HashMap<>();
    int stackMaps = 0;
    int methods = in.readUnsignedShort();
    for (int m = 0; m < methods; m++) {
      in.readUnsignedShort(); // access
      String name = utf8[in.readUnsignedShort()];
      String desc = utf8[in.readUnsignedShort()];
      int attributes = in.readUnsignedShort();
      for (int a = 0; a < attributes; a++) {
        String attr = utf8[in.readUnsignedShort()];
        int length = in.readInt();
        if (attr.equals("Code")) {
          in.skipBytes(4); // max_stack, max_locals
          int codeLength = in.readInt();
          lengths.put(name + desc, codeLength);
          in.skipBytes(codeLength);
          in.skipBytes(8 * in.readUnsignedShort()); // exception table
          int codeAttributes = in.readUnsignedShort();
          for (int c = 0; c < codeAttributes; c++) {
            String codeAttr = utf8[in.readUnsignedShort()];
            int codeAttrLength = in.readInt();
            if (codeAttr.equals("StackMapTable")) {
              stackMaps += 6 + codeAttrLength;
            }
            in.skipBytes(codeAttrLength);
          }
        } else {
          in.skipBytes(length);
        }
      }
    }
    lengths.put(STACK_MAPS, stackMaps);
    return lengths;
  }

  private static void skipAttributes(DataInputStream in) throws IOException {
    int attributes = in.readUnsignedShort();
    for (int a = 0; a < attributes; a++) {
      in.skipBytes(2);
      in.skipBytes(in.readInt());
    }
  }

  // ---- the report ----------------------------------------------------------------------------

  private static String line(Measured m) {
    if (m.refusal() != null) {
      return String.format(
          Locale.ROOT,
          "[bench]   S1 %3d awaits: javac %,d B, refused: %s",
          m.awaits(),
          m.original(),
          m.refusal());
    }
    return String.format(
        Locale.ROOT,
        "[bench]   S1 %3d awaits: javac %,d B, rewritten %,d B (stub %d + body %,d) = %.2fx, +%.0f B per await",
        m.awaits(),
        m.original(),
        m.stub() + m.body(),
        m.stub(),
        m.body(),
        m.factor(),
        m.addedPerAwait());
  }

  /** The code-size section of RESULTS.md, between {@link #BEGIN} and {@link #END}. */
  static String section(List<Measured> rows) {
    StringBuilder md = new StringBuilder();
    md.append(BEGIN).append('\n');
    md.append("## S1: code size (issue 12)\n\n");
    md.append("Bytes of bytecode (`code_length` of the `Code` attribute) of one generated `@Async`")
        .append(" method per row, as javac (`--release 17 -g`, ")
        .append(System.getProperty("java.version"))
        .append(
            ") compiled it and as the transformer rewrote it (the stub that builds the frame plus")
        .append(
            " the state-machine body). Seven locals of mixed types and the three parameters live")
        .append(" across the awaits, which sit in straight code, `if`/`switch` arms, loops, `try`")
        .append(" blocks and handlers, and inside expressions (`CodeSize` in")
        .append(" `src/main/java/.../harness`, run alone by `mvn -pl benchmarks -am verify -Psize")
        .append(" -DskipTests`). A size, not a time: the same on every run with one javac. The")
        .append(" whole class grows more than the method: the body is a second method with its own")
        .append(" `StackMapTable` (a frame at every await's resume and continue point and at each")
        .append(" shared block), local-variable table and line table, and the constant pool gains")
        .append(" the protocol's names.\n\n");
    md.append(
            "| Awaits | javac method (B) | rewritten: stub + body (B) | Factor | Added per await (B) |")
        .append(" Class file before → after (B) | Class factor | of which StackMapTable (B) |\n");
    md.append("|---:|---:|---:|---:|---:|---|---:|---|\n");
    for (Measured m : rows) {
      md.append("| ")
          .append(m.awaits())
          .append(" | ")
          .append(String.format(Locale.ROOT, "%,d", m.original()));
      if (m.refusal() != null) {
        md.append(" | refused: ")
            .append(m.refusal().replace('|', '/'))
            .append(" | | | ")
            .append(String.format(Locale.ROOT, "%,d", m.classBefore()))
            .append(" → — | | |\n");
        continue;
      }
      md.append(
          String.format(
              Locale.ROOT,
              " | %,d + %,d = %,d | %.2fx | %.0f | %,d → %,d | %.2fx | %,d → %,d |%n",
              m.stub(),
              m.body(),
              m.stub() + m.body(),
              m.factor(),
              m.addedPerAwait(),
              m.classBefore(),
              m.classAfter(),
              m.classAfter() / (double) m.classBefore(),
              m.mapsBefore(),
              m.mapsAfter()));
    }
    String met =
        rows.stream()
            .filter(m -> m.refusal() == null && m.factor() <= GOAL_FACTOR)
            .map(m -> Integer.toString(m.awaits()))
            .collect(Collectors.joining(", "));
    String missed =
        rows.stream()
            .filter(m -> m.refusal() != null || m.factor() > GOAL_FACTOR)
            .map(m -> Integer.toString(m.awaits()))
            .collect(Collectors.joining(", "));
    String verdict;
    if (missed.isEmpty()) {
      verdict = "**met**";
    } else if (met.isEmpty()) {
      verdict = "**not met** (" + missed + " awaits)";
    } else {
      verdict = "**met** for " + met + " awaits; **not met** for " + missed + " awaits";
    }
    md.append("\nGoal (issue 12): every method rewritten, at most ")
        .append(String.format(Locale.ROOT, "%.0fx", GOAL_FACTOR))
        .append(" the javac method: ")
        .append(verdict)
        .append(".\n");
    md.append(END).append('\n');
    return md.toString();
  }

  /**
   * {@code md} with its code-size section replaced by {@code section}, or {@code section} appended.
   */
  static String withSection(String md, String section) {
    int b = md.indexOf(BEGIN);
    int e = md.indexOf(END);
    if (b >= 0 && e > b) {
      int end = e + END.length();
      if (end < md.length() && md.charAt(end) == '\n') {
        end++;
      }
      return md.substring(0, b) + section + md.substring(end);
    }
    return md + (md.endsWith("\n\n") ? "" : md.endsWith("\n") ? "\n" : "\n\n") + section;
  }

  /** The code-size section already in {@code md}, or null. */
  static String existingSection(String md) {
    int b = md.indexOf(BEGIN);
    int e = md.indexOf(END);
    return b >= 0 && e > b ? md.substring(b, e + END.length()) + "\n" : null;
  }
}
