package dev.coroutine.transform;

import java.nio.charset.StandardCharsets;

/**
 * The transformer's pre-filter: scans a class file's constant pool, without parsing the rest, for
 * the names that any class needing instrumentation must mention ({@code @Async} or {@code
 * Coroutines}, the owner of {@code await}).
 *
 * <p>Invariant: it reads only inside the array and never throws, whatever the bytes (truncated at
 * any point, unknown tags, lengths past the end). Bytes it cannot walk are {@link #MALFORMED}, so
 * the caller hands them to the full reader, which says what is wrong.
 */
final class ConstantPoolScan {
  /** The pool names neither {@code @Async} nor {@code Coroutines}: nothing to rewrite. */
  static final int ABSENT = 0;

  /** The pool names {@code @Async} or {@code Coroutines}. */
  static final int MENTIONED = 1;

  /** Not a class file whose constant pool can be walked: see {@link #problem}. */
  static final int MALFORMED = 2;

  private static final byte[] ASYNC = Protocol.ASYNC_DESC.getBytes(StandardCharsets.UTF_8);
  private static final byte[] COROUTINES = Protocol.COROUTINES.getBytes(StandardCharsets.UTF_8);

  private ConstantPoolScan() {}

  /** True if the class may use {@code @Async} or {@code await}; false means: leave it alone. */
  static boolean mentionsCoroutines(byte[] b) {
    return scan(b) != ABSENT;
  }

  /** {@link #ABSENT}, {@link #MENTIONED} or {@link #MALFORMED}. */
  static int scan(byte[] b) {
    if (b.length < 10 || (b[0] & 0xFF) != 0xCA || (b[1] & 0xFF) != 0xFE) {
      return MALFORMED;
    }
    int count = u2(b, 8);
    int p = 10;
    for (int i = 1; i < count; i++) {
      int size = entrySize(b, p);
      if (size < 0 || p + size > b.length) {
        return MALFORMED;
      }
      if (b[p] == 1
          && (matches(b, p + 3, size - 3, ASYNC) || matches(b, p + 3, size - 3, COROUTINES))) {
        return MENTIONED;
      }
      if (b[p] == 5 || b[p] == 6) {
        i++; // Long and Double take two entries
      }
      p += size;
    }
    return ABSENT;
  }

  /**
   * Why {@link #scan} found {@code b} malformed, for a message; null if it did not. Slower than
   * {@code scan}: for the error path only.
   */
  static String problem(byte[] b) {
    if (b.length < 4
        || (b[0] & 0xFF) != 0xCA
        || (b[1] & 0xFF) != 0xFE
        || (b[2] & 0xFF) != 0xBA
        || (b[3] & 0xFF) != 0xBE) {
      return "not a class file (it does not start with 0xCAFEBABE)";
    }
    if (b.length < 10) {
      return "truncated header (" + b.length + " bytes)";
    }
    int count = u2(b, 8);
    int p = 10;
    for (int i = 1; i < count; i++) {
      if (p >= b.length) {
        return "truncated constant pool (entry " + i + " of " + (count - 1) + " is missing)";
      }
      int size = entrySize(b, p);
      if (size < 0) {
        if (p + 3 > b.length) {
          return "truncated constant pool (entry " + i + " of " + (count - 1) + " is cut short)";
        }
        return "unknown constant pool tag " + (b[p] & 0xFF) + " at entry " + i;
      }
      if (p + size > b.length) {
        return "truncated constant pool (entry " + i + " of " + (count - 1) + " is cut short)";
      }
      if (b[p] == 5 || b[p] == 6) {
        i++;
      }
      p += size;
    }
    return null;
  }

  /**
   * The size in bytes of the constant pool entry at {@code p}, tag included; -1 for an unknown tag
   * or a Utf8 entry whose length field lies past the end.
   */
  static int entrySize(byte[] b, int p) {
    if (p >= b.length) {
      return -1;
    }
    switch (b[p] & 0xFF) {
      case 1: // Utf8
        return p + 3 <= b.length ? 3 + u2(b, p + 1) : -1;
      case 7: // Class
      case 8: // String
      case 16: // MethodType
      case 19: // Module
      case 20: // Package
        return 3;
      case 15: // MethodHandle
        return 4;
      case 3: // Integer
      case 4: // Float
      case 9: // Fieldref
      case 10: // Methodref
      case 11: // InterfaceMethodref
      case 12: // NameAndType
      case 17: // Dynamic
      case 18: // InvokeDynamic
        return 5;
      case 5: // Long
      case 6: // Double
        return 9;
      default:
        return -1;
    }
  }

  private static boolean matches(byte[] b, int off, int len, byte[] name) {
    if (len != name.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (b[off + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  static int u2(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }
}
