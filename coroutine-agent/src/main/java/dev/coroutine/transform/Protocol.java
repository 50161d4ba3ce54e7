package dev.coroutine.transform;

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
  static final String AWAIT_STAGE_DESC = "(Ljava/util/concurrent/CompletionStage;)Ljava/lang/Object;";
  static final String DONE = "done";
  static final String DONE_VALUE_DESC = "(Ljava/lang/Object;)Ldev/coroutine/Coroutine;";
  static final String DONE_VOID_DESC = "()Ldev/coroutine/Coroutine;";

  static final String FRAME = "dev/coroutine/AsyncFrame";
  static final String FRAME_DESC = "Ldev/coroutine/AsyncFrame;";
  static final String BODY = "dev/coroutine/AsyncFrame$Body";
  static final String BODY_DESC = "Ldev/coroutine/AsyncFrame$Body;";
  /** Parameter types a body method may declare: AsyncFrame and its supertypes. */
  static final String[] BODY_PARAMETER_TYPES = {
    "Ldev/coroutine/AsyncFrame;", "Ldev/coroutine/Coroutine;", "Ldev/coroutine/Awaitable;",
    "Ljava/lang/Object;"
  };
  /** Descriptor of a body method and of {@code Body.resume}. */
  static final String BODY_METHOD_DESC = "(Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";
  static final String CREATE = "create";
  static final String CREATE_DESC =
      "(Ldev/coroutine/AsyncFrame$Body;II)Ldev/coroutine/AsyncFrame;";
  static final String FRAME_AWAIT = "await";
  static final String FRAME_AWAIT_DESC =
      "(Ljava/lang/Object;Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";
  static final String FRAME_AWAIT_STAGE = "awaitStage";
  static final String FRAME_AWAIT_STAGE_DESC =
      "(Ljava/util/concurrent/CompletionStage;Ldev/coroutine/AsyncFrame;)Ljava/lang/Object;";
  static final String RESUMED = "resumed";
  static final String RESUMED_DESC = "()Ljava/lang/Object;";
  static final String SUSPEND = "SUSPEND";
  /** A frame label asking the body where its await number {@code prims[0]} is. */
  static final int DESCRIBE_LABEL = -2;
  static final String LABEL = "label";
  static final String REF0 = "ref0";
  static final String REFS = "refs";
  static final String PRIMS = "prims";

  /** The class attribute that marks a rewritten class; its one byte is the format version. */
  static final String MARKER_ATTRIBUTE = "dev.coroutine.Instrumented";
  static final int MARKER_VERSION = 1;

  static boolean isAwait(int opcode, String owner, String name, String desc) {
    return opcode == Opcodes.INVOKESTATIC
        && owner.equals(COROUTINES)
        && name.equals(AWAIT)
        && (desc.equals(AWAIT_AWAITABLE_DESC) || desc.equals(AWAIT_STAGE_DESC));
  }
}
