package dev.coroutine.transform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where kotlinc's inlined code came from. kotlinc numbers the lines of an inline function's body,
 * inlined into a caller, past the end of the caller's source file, and says in the class's
 * SourceDebugExtension (an SMAP, JSR-45) which file and line each such line is (stratum {@code
 * Kotlin}) and which line of the caller called it (stratum {@code KotlinDebug}). A diagnostic at
 * such a line names a line the file does not have unless it is mapped back (found from outside:
 * "Inl.kt:12" in a file of 10 lines).
 */
final class InlinedLines {
  /** An inlined line: its inline function's {@code file} and {@code line}, and the call's line. */
  record Origin(String file, int line, int callLine) {}

  /** One line section entry: input lines from {@code in}, of file {@code file}, at {@code out}. */
  private record Range(int in, String file, int count, int out, int step) {
    /** The input line that output line {@code line} belongs to, or -1. */
    int inputOf(int line) {
      int k = (line - out) / step;
      return line >= out && k < count ? in + k : -1;
    }
  }

  private InlinedLines() {}

  /**
   * The origin of output line {@code line} of a class whose SMAP is {@code smap} and whose source
   * file is {@code sourceFile}, or null if the line is the file's own (or there is no SMAP, or it
   * cannot be read: a diagnostic then keeps its line).
   */
  static Origin of(String smap, String sourceFile, int line) {
    if (smap == null || line <= 0 || !smap.startsWith("SMAP")) {
      return null;
    }
    Map<String, List<Range>> strata;
    try {
      strata = parse(smap);
    } catch (RuntimeException malformed) {
      return null;
    }
    Range code = find(strata.get("Kotlin"), line);
    if (code == null) {
      return null;
    }
    int from = code.inputOf(line);
    if (from == line && code.file() != null && code.file().equals(sourceFile)) {
      return null; // the file's own line
    }
    Range call = find(strata.get("KotlinDebug"), line);
    return new Origin(code.file(), from, call != null ? call.inputOf(line) : line);
  }

  private static Range find(List<Range> ranges, int line) {
    if (ranges != null) {
      for (Range r : ranges) {
        if (r.inputOf(line) >= 0) {
          return r;
        }
      }
    }
    return null;
  }

  /** Each stratum's line ranges, with their files' names. */
  private static Map<String, List<Range>> parse(String smap) {
    Map<String, List<Range>> strata = new HashMap<>();
    Map<String, String> files = new HashMap<>();
    List<Range> ranges = null;
    char section = ' ';
    String file = null;
    String[] lines = smap.split("\r?\n");
    for (int i = 3; i < lines.length; i++) { // after SMAP, the output file and default stratum
      String l = lines[i].trim();
      if (l.startsWith("*")) {
        section = l.length() > 1 ? l.charAt(1) : ' ';
        if (section == 'S') {
          ranges = new ArrayList<>();
          strata.put(l.substring(2).trim(), ranges);
          files = new HashMap<>();
          file = null;
        }
      } else if (section == 'F' && !l.isEmpty()) {
        boolean withPath = l.startsWith("+");
        String[] idName = (withPath ? l.substring(1).trim() : l).split(" ", 2);
        files.put(idName[0], idName[1]);
        if (withPath) {
          i++; // the file's path
        }
      } else if (section == 'L' && !l.isEmpty() && ranges != null) {
        // in[#file][,count]:out[,step]
        String[] inOut = l.split(":", 2);
        String in = inOut[0];
        int hash = in.indexOf('#');
        int comma = in.indexOf(',');
        int end = hash >= 0 ? hash : comma >= 0 ? comma : in.length();
        if (hash >= 0) {
          file = files.get(in.substring(hash + 1, comma >= 0 ? comma : in.length()));
        } else if (file == null) {
          file = files.get("1"); // no file named yet: the first
        }
        int count = comma >= 0 ? Integer.parseInt(in.substring(comma + 1)) : 1;
        String[] out = inOut[1].split(",", 2);
        int step = out.length > 1 ? Integer.parseInt(out[1]) : 1;
        ranges.add(
            new Range(
                Integer.parseInt(in.substring(0, end)),
                file,
                count,
                Integer.parseInt(out[0]),
                Math.max(step, 1)));
      }
    }
    return strata;
  }
}
