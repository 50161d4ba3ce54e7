package dev.coroutine.transform;

import java.nio.charset.StandardCharsets;

/**
 * Checks the framing of a class file that the JVM checks and ASM does not: the magic number, that
 * every constant-pool entry, member and attribute lies inside the file and every attribute's length
 * is exactly what its contents take (the {@code Code} attribute's included), that attribute names
 * are Utf8 constants, that the descriptors of members, name-and-type and method-type constants are
 * well formed, and that nothing follows the last attribute. ASM reads past such damage and writes a
 * well-formed file, so without this check a rewrite would "repair" a class the JVM rejects into one
 * it loads.
 *
 * <p>Reads only inside the array and never throws.
 */
final class ClassFileLayout {
  /** The class file. */
  private final byte[] b;

  /** Offset of each constant-pool entry (its tag), by index; 0 for unusable indexes. */
  private int[] entries;

  private ClassFileLayout(byte[] b) {
    this.b = b;
  }

  /** What is wrong with the layout of {@code classFile}, or null if nothing is. */
  static String problem(byte[] classFile) {
    return new ClassFileLayout(classFile).check();
  }

  /** Thrown inside the walk; turned into the returned message. */
  private static final class Bad extends Exception {
    private static final long serialVersionUID = 1L;

    Bad(String message) {
      super(message, null, false, false);
    }
  }

  private String check() {
    String pool = ConstantPoolScan.problem(b);
    if (pool != null) {
      return pool;
    }
    try {
      int p = readPool();
      poolDescriptors();
      need(p, 8, "class header");
      ref(ConstantPoolScan.u2(b, p + 2), CLASS, false, "this_class");
      ref(ConstantPoolScan.u2(b, p + 4), CLASS, true, "super_class");
      int interfaces = ConstantPoolScan.u2(b, p + 6);
      p += 8;
      need(p, 2 * interfaces, "interfaces");
      for (int i = 0; i < interfaces; i++) {
        ref(ConstantPoolScan.u2(b, p + 2 * i), CLASS, false, "interface " + i);
      }
      p += 2 * interfaces;
      p = members(p, "field");
      p = members(p, "method");
      need(p, 2, "class attributes");
      p = attributes(p + 2, ConstantPoolScan.u2(b, p), "class", false);
      if (p != b.length) {
        return (b.length - p) + " bytes after the end of the class file";
      }
      return null;
    } catch (Bad e) {
      return e.getMessage();
    }
  }

  private int readPool() {
    int count = ConstantPoolScan.u2(b, 8);
    entries = new int[count];
    int p = 10;
    for (int i = 1; i < count; i++) {
      entries[i] = p;
      int size = ConstantPoolScan.entrySize(b, p);
      if (b[p] == 5 || b[p] == 6) {
        i++;
      }
      p += size;
    }
    return p;
  }

  /** The descriptors that name-and-type and method-type constants refer to. */
  private void poolDescriptors() throws Bad {
    for (int i = 1; i < entries.length; i++) {
      int p = entries[i];
      if (p == 0) {
        continue;
      }
      if (b[p] == 12) {
        int d = ConstantPoolScan.u2(b, p + 3);
        descriptor(
            d,
            d > 0 && d < entries.length && entries[d] != 0 && firstByte(d) == '(',
            "constant " + i);
      } else if (b[p] == 16) {
        descriptor(ConstantPoolScan.u2(b, p + 1), true, "constant " + i);
      }
    }
  }

  private int firstByte(int index) {
    int p = entries[index];
    return b[p] == 1 && ConstantPoolScan.u2(b, p + 1) > 0 ? b[p + 3] : -1;
  }

  /** Constant {@code index} is a Utf8 holding a well-formed field or method descriptor. */
  private void descriptor(int index, boolean method, String owner) throws Bad {
    if (index <= 0 || index >= entries.length || entries[index] == 0 || b[entries[index]] != 1) {
      throw new Bad("the descriptor of " + owner + " is not a Utf8 constant");
    }
    int p = entries[index] + 3;
    int end = p + ConstantPoolScan.u2(b, p - 2);
    int q;
    if (method) {
      if (p >= end || b[p] != '(') {
        throw badDescriptor(index, owner);
      }
      q = p + 1;
      while (q < end && b[q] != ')') {
        q = fieldType(q, end);
        if (q < 0) {
          throw badDescriptor(index, owner);
        }
      }
      if (q >= end) {
        throw badDescriptor(index, owner);
      }
      q++;
      q = q < end && b[q] == 'V' ? q + 1 : fieldType(q, end);
    } else {
      q = fieldType(p, end);
    }
    if (q != end) {
      throw badDescriptor(index, owner);
    }
  }

  private Bad badDescriptor(int index, String owner) {
    return new Bad("the descriptor of " + owner + " is malformed: " + utf8(index));
  }

  /** Offset after the field type at {@code p}, or -1 if there is none. */
  private int fieldType(int p, int end) {
    int dims = 0;
    while (p < end && b[p] == '[') {
      p++;
      dims++;
    }
    if (p >= end || dims > 255) {
      return -1;
    }
    switch (b[p]) {
      case 'B':
      case 'C':
      case 'D':
      case 'F':
      case 'I':
      case 'J':
      case 'S':
      case 'Z':
        return p + 1;
      case 'L':
        int start = ++p;
        while (p < end && b[p] != ';') {
          byte c = b[p];
          if (c == '.' || c == '[' || (c == '/' && (p == start || b[p - 1] == '/'))) {
            return -1;
          }
          p++;
        }
        return p < end && p > start && b[p - 1] != '/' ? p + 1 : -1;
      default:
        return -1;
    }
  }

  private int members(int p, String kind) throws Bad {
    need(p, 2, kind + "s");
    int count = ConstantPoolScan.u2(b, p);
    p += 2;
    for (int i = 0; i < count; i++) {
      need(p, 8, kind + " " + i);
      ref(ConstantPoolScan.u2(b, p + 2), UTF8, false, "the name of " + kind + " " + i);
      descriptor(ConstantPoolScan.u2(b, p + 4), kind.equals("method"), kind + " " + i);
      p = attributes(p + 8, ConstantPoolScan.u2(b, p + 6), kind + " " + i, kind.equals("method"));
    }
    return p;
  }

  /** Walks {@code count} attributes from {@code p}; returns the offset after them. */
  private int attributes(int p, int count, String owner, boolean method) throws Bad {
    for (int i = 0; i < count; i++) {
      need(p, 6, "attribute " + i + " of " + owner);
      int name = ConstantPoolScan.u2(b, p);
      long length = u4(p + 2);
      if (name <= 0 || name >= entries.length || entries[name] == 0 || b[entries[name]] != 1) {
        throw new Bad(
            "attribute " + i + " of " + owner + " has a name that is not a Utf8 constant");
      }
      if (length > b.length - (p + 6)) {
        throw new Bad(
            "attribute "
                + utf8(name)
                + " of "
                + owner
                + " runs past the end of the file (truncated class file)");
      }
      int start = p + 6;
      int end = start + (int) length;
      String type = utf8(name);
      if (method && type.equals("Code")) {
        code(start, end, owner);
      } else {
        contents(type, start, end, owner);
      }
      p = end;
    }
    return p;
  }

  /**
   * The attributes of a fixed layout (a count, then entries of one size) fill {@code [start, end)}
   * exactly; ASM reads them by their counts and would write a correct length.
   */
  private void contents(String type, int start, int end, String owner) throws Bad {
    int countSize = 2;
    int entry;
    switch (type) {
      case "ConstantValue":
        fixed(type, start, end, 2, owner);
        ref(ConstantPoolScan.u2(b, start), CONSTANT_VALUE, false, type + " of " + owner);
        return;
      case "Signature":
      case "SourceFile":
        fixed(type, start, end, 2, owner);
        ref(ConstantPoolScan.u2(b, start), UTF8, false, type + " of " + owner);
        return;
      case "NestHost":
      case "ModuleMainClass":
        fixed(type, start, end, 2, owner);
        ref(ConstantPoolScan.u2(b, start), CLASS, false, type + " of " + owner);
        return;
      case "EnclosingMethod":
        fixed(type, start, end, 4, owner);
        ref(ConstantPoolScan.u2(b, start), CLASS, false, type + " of " + owner);
        ref(ConstantPoolScan.u2(b, start + 2), 1 << 12, true, type + " of " + owner);
        return;
      case "Deprecated":
      case "Synthetic":
        fixed(type, start, end, 0, owner);
        return;
      case "Exceptions":
      case "NestMembers":
      case "PermittedSubclasses":
      case "ModulePackages":
        entry = 2;
        break;
      case "LineNumberTable":
        entry = 4;
        break;
      case "LocalVariableTable":
      case "LocalVariableTypeTable":
        entry = 10;
        break;
      case "InnerClasses":
        entry = 8;
        break;
      case "MethodParameters":
        countSize = 1;
        entry = 4;
        break;
      case "StackMapTable":
        stackMapTable(start, end, owner);
        return;
      default:
        return; // other layouts are read by ASM with their lengths, or not at all
    }
    if (end - start < countSize) {
      throw new Bad(type + " attribute of " + owner + " is too short");
    }
    int count = countSize == 1 ? b[start] & 0xFF : ConstantPoolScan.u2(b, start);
    if ((long) count * entry + countSize != end - start) {
      throw new Bad(
          type + " attribute of " + owner + " has a length that does not match its contents");
    }
    String what = type + " attribute of " + owner;
    for (int i = 0, q = start + countSize; i < count; i++, q += entry) {
      switch (type) {
        case "Exceptions":
        case "NestMembers":
        case "PermittedSubclasses":
          ref(ConstantPoolScan.u2(b, q), CLASS, false, what);
          break;
        case "InnerClasses":
          ref(ConstantPoolScan.u2(b, q), CLASS, false, what);
          ref(ConstantPoolScan.u2(b, q + 2), CLASS, true, what);
          ref(ConstantPoolScan.u2(b, q + 4), UTF8, true, what);
          break;
        case "MethodParameters":
          ref(ConstantPoolScan.u2(b, q), UTF8, true, what);
          break;
        default:
          break;
      }
    }
  }

  /** Tag bits for {@link #ref}. */
  private static final int UTF8 = 1 << 1;

  private static final int CLASS = 1 << 7;

  private static final int CONSTANT_VALUE = (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8);

  /**
   * Constant {@code index} exists and has one of the tags in {@code tags} (or is 0, if allowed).
   */
  private void ref(int index, int tags, boolean zero, String what) throws Bad {
    if (index == 0 && zero) {
      return;
    }
    if (index <= 0
        || index >= entries.length
        || entries[index] == 0
        || (tags & (1 << (b[entries[index]] & 0xFF))) == 0) {
      throw new Bad(what + " refers to constant " + index + ", which has the wrong type");
    }
  }

  private void fixed(String type, int start, int end, int length, String owner) throws Bad {
    if (end - start != length) {
      throw new Bad(
          type + " attribute of " + owner + " has length " + (end - start) + ", not " + length);
    }
  }

  /** The frames of a StackMapTable fill {@code [start, end)} exactly. */
  private void stackMapTable(int start, int end, String owner) throws Bad {
    String what = "StackMapTable of " + owner;
    if (end - start < 2) {
      throw new Bad(what + " is too short");
    }
    int frames = ConstantPoolScan.u2(b, start);
    int p = start + 2;
    for (int f = 0; f < frames; f++) {
      if (p >= end) {
        throw new Bad(what + " is cut short");
      }
      int type = b[p++] & 0xFF;
      if (type < 64) {
        continue; // same
      } else if (type < 128) {
        p = verificationTypes(p, end, 1, what);
      } else if (type < 247) {
        throw new Bad(what + " has a frame of reserved type " + type);
      } else if (type == 247) {
        p = verificationTypes(p + 2, end, 1, what);
      } else if (type < 255) {
        p = verificationTypes(p + 2, end, type - 251 > 0 ? type - 251 : 0, what);
      } else {
        if (end - p < 4) {
          throw new Bad(what + " is cut short");
        }
        p = verificationTypes(p + 4, end, ConstantPoolScan.u2(b, p + 2), what);
        if (end - p < 2) {
          throw new Bad(what + " is cut short");
        }
        p = verificationTypes(p + 2, end, ConstantPoolScan.u2(b, p), what);
      }
    }
    if (p != end) {
      throw new Bad(what + " has a length that does not match its frames");
    }
  }

  private int verificationTypes(int p, int end, int count, String what) throws Bad {
    for (int i = 0; i < count; i++) {
      if (p >= end) {
        throw new Bad(what + " is cut short");
      }
      int tag = b[p] & 0xFF;
      if (tag > 8) {
        throw new Bad(what + " has an unknown verification type " + tag);
      }
      if (tag == 7) {
        if (end - p < 3) {
          throw new Bad(what + " is cut short");
        }
        int c = ConstantPoolScan.u2(b, p + 1);
        if (c <= 0 || c >= entries.length || entries[c] == 0 || b[entries[c]] != 7) {
          throw new Bad(what + " names a class by constant " + c + ", which is not a class");
        }
      }
      p += tag >= 7 ? 3 : 1;
    }
    if (p > end) {
      throw new Bad(what + " is cut short");
    }
    return p;
  }

  /** The Code attribute's contents fill {@code [start, end)} exactly. */
  private void code(int start, int end, String owner) throws Bad {
    int p = start;
    if (end - p < 8) {
      throw new Bad("Code attribute of " + owner + " is too short");
    }
    long codeLength = u4(p + 4);
    p += 8;
    if (codeLength == 0 || codeLength > end - p) {
      throw new Bad("Code attribute of " + owner + " has a code length past its end");
    }
    instructions(p, p + (int) codeLength, owner);
    p += (int) codeLength;
    if (end - p < 2) {
      throw new Bad("Code attribute of " + owner + " is cut short");
    }
    int handlers = ConstantPoolScan.u2(b, p);
    p += 2;
    if ((long) handlers * 8 + 2 > end - p) {
      throw new Bad("Code attribute of " + owner + " is cut short in its exception table");
    }
    p += handlers * 8;
    int count = ConstantPoolScan.u2(b, p);
    int after = attributes(p + 2, count, "the Code of " + owner, false);
    if (after != end) {
      throw new Bad(
          "Code attribute of " + owner + " has a length that does not match its contents");
    }
    localVariables(
        p + 2, count, start + 8, (int) codeLength, ConstantPoolScan.u2(b, start + 2), owner);
  }

  /**
   * The entries of the Code's LocalVariableTable and LocalVariableTypeTable attributes (starting at
   * {@code p}) lie inside the code and {@code max_locals}, name Utf8 constants, have well-formed
   * descriptors, and each type entry matches a variable entry. ASM turns the offsets into labels,
   * which would silently mend them.
   */
  private void localVariables(
      int p, int count, int code, int codeLength, int maxLocals, String owner) throws Bad {
    java.util.Set<Long> variables = new java.util.HashSet<>();
    for (int pass = 0; pass < 2; pass++) {
      int q = p;
      for (int i = 0; i < count; i++) {
        String type = utf8(ConstantPoolScan.u2(b, q));
        int length = (int) u4(q + 2);
        boolean table = type.equals("LocalVariableTable");
        if ((pass == 0 && table) || (pass == 1 && type.equals("LocalVariableTypeTable"))) {
          int entriesCount = ConstantPoolScan.u2(b, q + 6);
          for (int e = 0; e < entriesCount; e++) {
            int at = q + 8 + 10 * e;
            int startPc = ConstantPoolScan.u2(b, at);
            int span = ConstantPoolScan.u2(b, at + 2);
            int name = ConstantPoolScan.u2(b, at + 4);
            int descriptor = ConstantPoolScan.u2(b, at + 6);
            int index = ConstantPoolScan.u2(b, at + 8);
            String what = type + " entry " + e + " of " + owner;
            if (startPc >= codeLength || startPc + span > codeLength) {
              throw new Bad(what + " lies outside the code");
            }
            if (name <= 0
                || name >= entries.length
                || entries[name] == 0
                || b[entries[name]] != 1) {
              throw new Bad(what + " has a name that is not a Utf8 constant");
            }
            if (table) {
              descriptor(descriptor, false, what);
              int first = entries[descriptor] + 3;
              boolean wide = b[first] == 'J' || b[first] == 'D';
              if (index + (wide ? 1 : 0) >= maxLocals) {
                throw new Bad(what + " uses local " + index + " of only " + maxLocals);
              }
              variables.add(key(startPc, span, name, index));
            } else {
              if (descriptor <= 0
                  || descriptor >= entries.length
                  || entries[descriptor] == 0
                  || b[entries[descriptor]] != 1) {
                throw new Bad(what + " has a signature that is not a Utf8 constant");
              }
              if (!variables.contains(key(startPc, span, name, index))) {
                throw new Bad(what + " matches no LocalVariableTable entry");
              }
            }
          }
        }
        q += 6 + length;
      }
    }
  }

  private static long key(int startPc, int span, int name, int index) {
    return ((long) startPc << 48) | ((long) span << 32) | ((long) name << 16) | index;
  }

  /**
   * The instructions in {@code [start, end)} end exactly at {@code end} and keep the operand rules
   * ASM does not check (it re-encodes those operands, which would repair them): the zero bytes of
   * invokeinterface and invokedynamic, invokeinterface's argument count, newarray's type,
   * multianewarray's dimensions, and lookupswitch's sorted keys.
   */
  private void instructions(int start, int end, String owner) throws Bad {
    int p = start;
    while (p < end) {
      int op = b[p] & 0xFF;
      int length = instructionLength(p, start, end);
      if (length <= 0 || length > end - p) {
        throw new Bad("the code of " + owner + " has a malformed instruction at " + (p - start));
      }
      boolean ok = true;
      switch (op) {
        case 185: // invokeinterface
          ok =
              b[p + 4] == 0
                  && (b[p + 3] & 0xFF) == interfaceArgumentSlots(ConstantPoolScan.u2(b, p + 1));
          break;
        case 186: // invokedynamic
          ok = b[p + 3] == 0 && b[p + 4] == 0;
          break;
        case 188: // newarray
          ok = (b[p + 1] & 0xFF) >= 4 && (b[p + 1] & 0xFF) <= 11;
          break;
        case 197: // multianewarray
          ok = b[p + 3] != 0;
          break;
        case 171: // lookupswitch
          int q = (p + 4 - ((p - start) & 3));
          int pairs = (int) u4(q + 4);
          for (int i = 1; i < pairs && ok; i++) {
            ok = (int) u4(q + 8 + 8 * (i - 1)) < (int) u4(q + 8 + 8 * i);
          }
          break;
        default:
          break;
      }
      if (!ok) {
        throw new Bad(
            "the code of " + owner + " has a malformed " + op + " instruction at " + (p - start));
      }
      p += length;
    }
  }

  /**
   * The count operand invokeinterface must carry for constant {@code index}: 1 plus the argument
   * slots of its descriptor; -1 if the constant is not an interface method reference.
   */
  private int interfaceArgumentSlots(int index) {
    if (index <= 0 || index >= entries.length || entries[index] == 0 || b[entries[index]] != 11) {
      return -1;
    }
    int nameAndType = ConstantPoolScan.u2(b, entries[index] + 3);
    if (nameAndType <= 0
        || nameAndType >= entries.length
        || entries[nameAndType] == 0
        || b[entries[nameAndType]] != 12) {
      return -1;
    }
    int d = ConstantPoolScan.u2(b, entries[nameAndType] + 3);
    if (d <= 0 || d >= entries.length || entries[d] == 0 || b[entries[d]] != 1) {
      return -1;
    }
    String descriptor = utf8(d);
    try {
      return org.objectweb.asm.Type.getArgumentsAndReturnSizes(descriptor) >> 2;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The length of the instruction at {@code p}, or -1 if it is not a valid one. */
  private int instructionLength(int p, int start, int end) {
    int op = b[p] & 0xFF;
    if (op <= 15
        || (op >= 26 && op <= 53)
        || (op >= 59 && op <= 131)
        || (op >= 133 && op <= 152)
        || (op >= 172 && op <= 177)
        || op == 190
        || op == 191
        || op == 194
        || op == 195) {
      return 1;
    }
    if (op == 16
        || op == 18
        || (op >= 21 && op <= 25)
        || (op >= 54 && op <= 58)
        || op == 169
        || op == 188) {
      return 2;
    }
    if (op == 17
        || op == 19
        || op == 20
        || op == 132
        || (op >= 153 && op <= 168)
        || (op >= 178 && op <= 184)
        || op == 187
        || op == 189
        || op == 192
        || op == 193
        || op == 198
        || op == 199) {
      return 3;
    }
    if (op == 197) {
      return 4;
    }
    if (op == 185 || op == 186 || op == 200 || op == 201) {
      return 5;
    }
    if (op == 196) { // wide
      return p + 1 < end ? ((b[p + 1] & 0xFF) == 132 ? 6 : 4) : -1;
    }
    if (op == 170 || op == 171) {
      int q = p + 4 - ((p - start) & 3); // after the padding
      if (end - q < 12) {
        return -1;
      }
      long n;
      if (op == 170) {
        long low = (int) u4(q + 4);
        long high = (int) u4(q + 8);
        n = high - low + 1;
        if (n < 0 || n > (end - q) / 4) {
          return -1;
        }
        return (int) (q + 12 + 4 * n - p);
      }
      n = (int) u4(q + 4);
      if (n < 0 || n > (end - q) / 8) {
        return -1;
      }
      return (int) (q + 8 + 8 * n - p);
    }
    return -1;
  }

  private void need(int p, int n, String what) throws Bad {
    if (p < 0 || n > b.length - p) {
      throw new Bad("truncated class file (in its " + what + ")");
    }
  }

  private long u4(int p) {
    return ((long) ConstantPoolScan.u2(b, p) << 16) | ConstantPoolScan.u2(b, p + 2);
  }

  private String utf8(int index) {
    int p = entries[index];
    return new String(b, p + 3, ConstantPoolScan.u2(b, p + 1), StandardCharsets.UTF_8);
  }
}
