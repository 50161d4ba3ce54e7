package dev.coroutine;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Turns the runtime's flight-recorder events on when the JVM's recorder is initialized (by {@code
 * -XX:StartFlightRecording}, {@code jcmd <pid> JFR.start}, or a {@code new Recording()}): only
 * {@link Jfr} calls in here, and only if {@code jdk.jfr} is present. Registering the listener loads
 * part of the recorder's classes (up to 27 ms on JDK 17: benchmarks' StartupBench), so a daemon
 * thread does it, off the thread that first used the runtime; a recorder already initialized turns
 * the events on at once, so a recording started with the JVM misses nothing.
 */
final class JfrRecorderWatch {
  private JfrRecorderWatch() {}

  static void start() {
    try {
      if (FlightRecorder.isInitialized()) {
        Jfr.recorderInitialized();
        return;
      }
      Thread t = new Thread(JfrRecorderWatch::listen, "coroutine-jfr-watch");
      t.setDaemon(true);
      t.start();
    } catch (Throwable t) { // LinkageError, a security manager's refusal: the events stay off
      // nothing to report: the runtime works without them
    }
  }

  private static void listen() {
    try {
      FlightRecorder.addListener(
          new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
              Jfr.recorderInitialized(); // on the thread that initialized it (or this one)
            }
          });
    } catch (Throwable t) { // as in start()
      // the events stay off
    }
  }
}
