package dev.coroutine.transform;

import java.nio.charset.StandardCharsets;

/**
 * The transformer's pre-filter: scans a class file's constant pool, without parsing the rest,
 * for the names that any class needing instrumentation must mention ({@code @Async} or {@code
 * Coroutines}, the owner of {@code await}).
 */
final class ConstantPoolScan {
  private static final byte[] ASYNC = "Ldev/coroutine/Async;".getBytes(StandardCharsets.UTF_8);
  private static final byte[] COROUTINES =
      "dev/coroutine/Coroutines".getBytes(StandardCharsets.UTF_8);

  private ConstantPoolScan() {}

  /** True if the class may use {@code @Async} or {@code await}; false means: leave it alone. */
  static boolean mentionsCoroutines(byte[] b) {
    if (b.length < 10 || (b[0] & 0xFF) != 0xCA || (b[1] & 0xFF) != 0xFE) {
      return false;
    }
    int count = u2(b, 8);
    int p = 10;
    for (int i = 1; i < count; i++) {
      int tag = b[p] & 0xFF;
      switch (tag) {
        case 1: // Utf8
          int len = u2(b, p + 1);
          if (matches(b, p + 3, len, ASYNC) || matches(b, p + 3, len, COROUTINES)) {
            return true;
          }
          p += 3 + len;
          break;
        case 7: // Class
        case 8: // String
        case 16: // MethodType
        case 19: // Module
        case 20: // Package
          p += 3;
          break;
        case 15: // MethodHandle
          p += 4;
          break;
        case 5: // Long
        case 6: // Double
          p += 9;
          i++;
          break;
        case 3: // Integer
        case 4: // Float
        case 9: // Fieldref
        case 10: // Methodref
        case 11: // InterfaceMethodref
        case 12: // NameAndType
        case 17: // Dynamic
        case 18: // InvokeDynamic
          p += 5;
          break;
        default:
          return true; // unknown layout: let the full reader decide
      }
      if (p > b.length) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(byte[] b, int off, int len, byte[] name) {
    if (len != name.length || off + len > b.length) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (b[off + i] != name[i]) {
        return false;
      }
    }
    return true;
  }

  private static int u2(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }
}
