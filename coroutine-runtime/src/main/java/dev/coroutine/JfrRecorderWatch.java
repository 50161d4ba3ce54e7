package dev.coroutine;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Turns the runtime's flight-recorder events on when the JVM's recorder is initialized (by {@code
 * -XX:StartFlightRecording}, {@code jcmd <pid> JFR.start}, or a {@code new Recording()}): only
 * {@link Jfr} calls in here, and only if {@code jdk.jfr} is present.
 *
 * <p>The recorder's listener list is the JVM's, so a listener of ours kept there would keep this
 * copy of the runtime's class loader (a web application's, a plugin's) for the life of the JVM. It
 * is therefore registered only while a loop of this copy is open (made and not closed), when events
 * can happen, and removed when the last one closes; a loop made after the recorder was initialized
 * turns the events on at once, before any of its tasks exists. A loop dropped without {@code
 * close()} keeps the listener registered. Registering loads part of the recorder's classes (up to
 * 27 ms on JDK 17: benchmarks' StartupBench), so the first time a daemon thread does it, off the
 * thread that makes the loop; later registrations are cheap and made on that thread.
 */
final class JfrRecorderWatch {
  private JfrRecorderWatch() {}

  /** Guards the fields below. */
  private static final Object LOCK = new Object();

  /** Loops of this copy of the runtime open now, on any thread. */
  private static int open;

  /** Our listener while it is registered, or null. */
  private static FlightRecorderListener listener;

  /** True while one is being registered. */
  private static boolean registering;

  /**
   * True once a listener was registered: the recorder's classes are loaded, so registering again (a
   * program that makes and closes loops in turn) costs the thread that makes the loop little.
   */
  private static boolean registeredBefore;

  /** A loop was made. */
  static void loopOpened() {
    boolean inline;
    synchronized (LOCK) {
      if (open++ > 0 || listener != null || registering || Jfr.on()) {
        return; // already watched (or on)
      }
      registering = true;
      inline = registeredBefore;
    }
    try {
      if (FlightRecorder.isInitialized()) {
        Jfr.recorderInitialized();
        synchronized (LOCK) {
          registering = false;
        }
        return;
      }
      if (inline) {
        register();
        return;
      }
      Thread t = new Thread(JfrRecorderWatch::register, "coroutine-jfr-watch");
      t.setDaemon(true);
      t.start();
    } catch (Throwable t) { // LinkageError, a security manager's refusal: the events stay off
      synchronized (LOCK) {
        registering = false;
      }
    }
  }

  /** A loop closed: the last one takes the listener out of the recorder's list. */
  static void loopClosed() {
    FlightRecorderListener l;
    synchronized (LOCK) {
      if (--open > 0 || listener == null) {
        return; // still watched, or the registering thread will see no loop open
      }
      l = listener;
      listener = null;
    }
    remove(l);
  }

  /** Registers a listener, and keeps it only if a loop is still open. */
  private static void register() {
    FlightRecorderListener l = new Listener();
    boolean added = false;
    try {
      FlightRecorder.addListener(l); // calls it at once if the recorder is initialized meanwhile
      added = true;
    } catch (Throwable t) { // as in loopOpened()
      // the events stay off
    }
    synchronized (LOCK) {
      registering = false;
      registeredBefore |= added;
      if (added && open > 0) {
        listener = l;
        return;
      }
    }
    if (added) {
      remove(l); // every loop closed while it was being added
    }
  }

  private static void remove(FlightRecorderListener l) {
    try {
      FlightRecorder.removeListener(l);
    } catch (Throwable t) { // as in loopOpened()
      // nothing else holds it
    }
  }

  /** Turns the events on when the recorder is initialized. */
  private static final class Listener implements FlightRecorderListener {
    @Override
    public void recorderInitialized(FlightRecorder recorder) {
      Jfr.recorderInitialized(); // on the thread that initialized it (or the registering one)
    }
  }
}
