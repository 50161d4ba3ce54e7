package dev.coroutine.transform;

import java.util.List;
import org.objectweb.asm.Opcodes;

/**
 * The names and descriptors of coroutine-runtime that rewritten code refers to (see
 * coroutine-runtime/PROTOCOL.md). The transformer knows the runtime only through these strings.
 */
final class Protocol {
  private Protocol() {}

  /** The ASM API level used by every visitor. */
  static final int ASM_API = Opcodes.ASM9;

  static final String ASYNC_DESC = "Ldev/coroutine/Async;";

  /** Silences the warning about handlers that swallow cancellation (CLASS retention). */
  static final String CATCHES_CANCELLATION_DESC = "Ldev/coroutine/CatchesCancellation;";

  static final String COROUTINE = "dev/coroutine/Coroutine";
  static final String COROUTINE_DESC = "Ldev/coroutine/Coroutine;";
  static final String COROUTINES = "dev/coroutine/Coroutines";
  static final String AWAIT = "await";
  static final String AWAIT_AWAITABLE_DESC = "(Ldev/coroutine/Awaitable;)Ljava/lang/Object;";
  static final String AWAIT_STAGE_DESC =
      "(Ljava/util/concurrent/CompletionStage;)Ljava/lang/Object;";
  static final String DONE = "done";
  static final String DONE_VALUE_DESC = "(Ljava/lang/Object;)Ldev/coroutine/Coroutine;";
  static final String DONE_VOID_DESC = "()Ldev/coroutine/Coroutine;";

  static final String FRAME = "dev/coroutine/AsyncFrame";
  static final String FRAME_DESC = "Ldev/coroutine/AsyncFrame;";
  static final String BODY = "dev/coroutine/AsyncFrame$Body";

  /** Parameter types a body method may declare: AsyncFrame and its supertypes. */
  static final String[] BODY_PARAMETER_TYPES = {
    "Ldev/coroutine/AsyncFrame;",
    "Ldev/coroutine/Coroutine;",
    "Ldev/coroutine/Awaitable;",
    "Ljava/lang/Object;"
  };

  /** The method of {@code Body} the stub's invokedynamic implements. */
  static final String BODY_METHOD = "resume";

  /** Descriptor of a body method and of {@code Body.resume}. */
  static final String BODY_METHOD_DESC = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";

  static final String FRAME_AWAIT = "await";

  /** {@code await(awaitable, frame, label)}: records the label when the frame must wait. */
  static final String FRAME_AWAIT_DESC =
      "(Ljava/lang/Object;Ldev/coroutine/AsyncFrame;I)Ljava/lang/Object;";

  /**
   * The typed awaits ({@link Unboxing}): box class, its unboxing method, that method's descriptor,
   * and the runtime's await returning the same primitive ({@link #typedAwaitDesc}); each tells a
   * suspension in {@code prim0}.
   */
  static final String[][] TYPED_AWAITS = {
    {"java/lang/Integer", "intValue", "()I", "awaitInt"},
    {"java/lang/Long", "longValue", "()J", "awaitLong"},
    {"java/lang/Double", "doubleValue", "()D", "awaitDouble"},
    {"java/lang/Boolean", "booleanValue", "()Z", "awaitBoolean"},
  };

  /**
   * {@code (Object, AsyncFrame, int)} returning what {@code unboxDesc} ({@code ()I} ...) returns.
   */
  static String typedAwaitDesc(String unboxDesc) {
    return "(Ljava/lang/Object;" + FRAME_DESC + "I)" + unboxDesc.substring(2);
  }

  /** The calls that end a save block ({@code AsyncFrame.Save}), by arity up to the limits. */
  static final String SAVE = "dev/coroutine/AsyncFrame$Save";

  static final String SAVE_REFS = "refs";
  static final String SAVE_PRIMS = "prims";
  static final int SAVE_MAX_REFS = 8;
  static final int SAVE_MAX_PRIMS = 6;

  /**
   * The stub's {@code invokedynamic} bootstrap: {@code frame(lookup, name, ()AsyncFrame,
   * bodyMethod, describeTable, refCount, primCount)}, a call site returning a new frame of the body
   * with arrays of those lengths; it binds the body as a {@code Body} and keeps the table.
   */
  static final String BOOTSTRAP = "frame";

  static final String BOOTSTRAP_DESC =
      "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
          + "Ljava/lang/invoke/MethodHandle;Ljava/lang/String;II)Ljava/lang/invoke/CallSite;";

  static final String SUSPEND = "SUSPEND";
  static final String LABEL = "label";
  static final String REF0 = "ref0";
  static final String PRIM0 = "prim0";
  static final String REFS = "refs";
  static final String PRIMS = "prims";

  /** The class attribute that marks a rewritten class; its one byte is the format version. */
  static final String MARKER_ATTRIBUTE = "dev.coroutine.Instrumented";

  static final int MARKER_VERSION = 5;

  /**
   * A method or field of the runtime that rewritten code refers to.
   *
   * @param owner internal name of the class that declares it
   * @param name its name
   * @param desc its descriptor (a method's starts with '(')
   * @param access the modifiers it must have ({@code Opcodes.ACC_*})
   */
  record Member(String owner, String name, String desc, int access) {}

  private static final int PUBLIC_STATIC = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC;

  /**
   * Every runtime member the transformer emits a reference to or recognizes in user code, with the
   * access that reference needs: the contract a change to the runtime must keep (checked by
   * reflection in the agent's tests).
   */
  static final List<Member> MEMBERS = members();

  private static List<Member> members() {
    List<Member> m =
        new java.util.ArrayList<>(
            List.of(
                new Member(COROUTINES, AWAIT, AWAIT_AWAITABLE_DESC, PUBLIC_STATIC),
                new Member(COROUTINES, AWAIT, AWAIT_STAGE_DESC, PUBLIC_STATIC),
                new Member(COROUTINES, DONE, DONE_VALUE_DESC, PUBLIC_STATIC),
                new Member(COROUTINES, DONE, DONE_VOID_DESC, PUBLIC_STATIC),
                new Member(FRAME, FRAME_AWAIT, FRAME_AWAIT_DESC, PUBLIC_STATIC),
                new Member(FRAME, BOOTSTRAP, BOOTSTRAP_DESC, PUBLIC_STATIC),
                new Member(FRAME, SUSPEND, "Ljava/lang/Object;", PUBLIC_STATIC | Opcodes.ACC_FINAL),
                new Member(FRAME, LABEL, "I", Opcodes.ACC_PUBLIC),
                new Member(FRAME, REF0, "Ljava/lang/Object;", Opcodes.ACC_PUBLIC),
                new Member(FRAME, PRIM0, "I", Opcodes.ACC_PUBLIC),
                new Member(FRAME, REFS, "[Ljava/lang/Object;", Opcodes.ACC_PUBLIC),
                new Member(FRAME, PRIMS, "[J", Opcodes.ACC_PUBLIC),
                new Member(BODY, BODY_METHOD, BODY_METHOD_DESC, Opcodes.ACC_PUBLIC)));
    for (String[] typed : TYPED_AWAITS) {
      m.add(new Member(FRAME, typed[3], typedAwaitDesc(typed[2]), PUBLIC_STATIC));
    }
    for (int n = 0; n <= SAVE_MAX_REFS; n++) {
      m.add(
          new Member(
              SAVE,
              SAVE_REFS,
              saveDesc("", "Ljava/lang/Object;", n, ")Ljava/lang/Object;"),
              PUBLIC_STATIC));
    }
    for (int n = 1; n <= SAVE_MAX_PRIMS; n++) {
      m.add(new Member(SAVE, SAVE_PRIMS, saveDesc("J", "J", n, ")" + FRAME_DESC), PUBLIC_STATIC));
      m.add(new Member(SAVE, SAVE_PRIMS, saveDesc("I", "J", n, ")" + FRAME_DESC), PUBLIC_STATIC));
    }
    return List.copyOf(m);
  }

  /** {@code (AsyncFrame first rest...)end} with {@code n} parameters after the frame. */
  private static String saveDesc(String first, String rest, int n, String end) {
    StringBuilder d = new StringBuilder("(").append(FRAME_DESC);
    for (int i = 0; i < n; i++) {
      d.append(i == 0 && !first.isEmpty() ? first : rest);
    }
    return d.append(end).toString();
  }

  static boolean isAwait(int opcode, String owner, String name, String desc) {
    return opcode == Opcodes.INVOKESTATIC
        && owner.equals(COROUTINES)
        && name.equals(AWAIT)
        && (desc.equals(AWAIT_AWAITABLE_DESC) || desc.equals(AWAIT_STAGE_DESC));
  }
}
