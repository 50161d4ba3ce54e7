/**
 * The coroutine runtime: the API {@code @Async} code compiles against and the single-threaded event
 * loop that runs it. No dependencies.
 *
 * <p>The exported packages are the public API: {@code dev.coroutine} (coroutines, tasks, futures,
 * the event loop, {@code Coroutines}' functions, and {@code AsyncFrame}, the protocol for generated
 * code only), {@code dev.coroutine.sync} (synchronization primitives and queues) and {@code
 * dev.coroutine.io} (streams and sockets). {@code dev.coroutine.internal} is plumbing: not exported
 * (only to {@code java.management}, which introspects the loop's MXBean interface).
 *
 * <p>{@code jdk.jfr} and {@code java.management} are optional: without them the runtime runs, with
 * no JFR events and no JMX hook. {@code jdk.unsupported} (every JDK has it) is required so that an
 * application run as a module resolves it: signal handlers, {@code run()}'s Ctrl-C included, use
 * its {@code sun.misc.Signal}. On the class path (the usual case) this descriptor is ignored and
 * everything works the same.
 */
module dev.coroutine {
  requires jdk.unsupported;
  requires static jdk.jfr;
  requires static java.management;

  exports dev.coroutine;
  exports dev.coroutine.sync;
  exports dev.coroutine.io;
  exports dev.coroutine.internal to
      java.management;
}
