package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The path each child end gets names exactly that pipe, also while other threads churn descriptors.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChildPipesTest {

  /**
   * Sends a unique message through the child path of each link and receives it on our end (or
   * back).
   */
  static void assertRoundTrips(List<ChildPipes.Link> links, String tag) throws IOException {
    for (int i = 0; i < links.size(); i++) {
      ChildPipes.Link l = links.get(i);
      byte[] msg = (tag + "-" + i).getBytes(StandardCharsets.UTF_8);
      ByteBuffer got = ByteBuffer.allocate(msg.length);
      if (l.childWrites()) {
        try (FileOutputStream child = new FileOutputStream(l.childPath())) {
          child.write(msg);
        }
        while (got.hasRemaining()) {
          l.pipe().source().read(got);
        }
      } else {
        l.pipe().sink().write(ByteBuffer.wrap(msg));
        try (FileInputStream child = new FileInputStream(l.childPath())) {
          while (got.hasRemaining()) { // not readNBytes: JDK 17's seeks, which a pipe refuses
            int n = child.read(got.array(), got.position(), got.remaining());
            got.position(got.position() + n);
          }
        }
      }
      assertThat(new String(got.array(), StandardCharsets.UTF_8))
          .isEqualTo(new String(msg, StandardCharsets.UTF_8));
    }
  }

  @Test
  void open_threePipes_eachChildPathIsThatPipesOtherEnd() throws IOException {
    assumeTrue(ChildPipes.SUPPORTED, "no /proc/self/fd here");
    List<ChildPipes.Link> links = ChildPipes.open(new boolean[] {false, true, true});
    assertThat(links).hasSize(3);
    try {
      assertThat(links).extracting(ChildPipes.Link::childWrites).containsExactly(false, true, true);
      assertThat(links)
          .extracting(ChildPipes.Link::childPath)
          .allMatch(p -> p.startsWith("/proc/self/fd/"))
          .doesNotHaveDuplicates();
      assertRoundTrips(links, "single");
      for (ChildPipes.Link l : links) {
        assertThat(l.pipe().source().isBlocking()).isTrue(); // handed back in a known state
        assertThat(l.pipe().sink().isBlocking()).isTrue();
      }
    } finally {
      links.forEach(ChildPipes.Link::closeAll);
    }
  }

  @Test
  void open_whileOtherThreadsOpenAndClosePipes_neverHandsOutAForeignPipe() throws Exception {
    assumeTrue(ChildPipes.SUPPORTED, "no /proc/self/fd here");
    AtomicBoolean stop = new AtomicBoolean();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    List<Thread> churn = new ArrayList<>();
    for (int t = 0; t < 2; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    Pipe p = Pipe.open(); // new pipe descriptors, reusing numbers just freed
                    p.sink().close();
                    p.source().close();
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      th.setDaemon(true);
      th.start();
      churn.add(th);
    }
    int identified = 0;
    try {
      for (int round = 0; round < 200; round++) {
        List<ChildPipes.Link> links = ChildPipes.open(new boolean[] {round % 2 == 0, true});
        if (links == null) {
          continue; // gave up this time (the caller would pump): allowed, never wrong
        }
        identified++;
        try {
          assertRoundTrips(links, "round" + round);
        } finally {
          links.forEach(ChildPipes.Link::closeAll);
        }
      }
    } finally {
      stop.set(true);
      for (Thread th : churn) {
        th.join();
      }
    }
    assertThat(errors).isEmpty();
    assertThat(identified).as("rounds whose pipes were identified").isGreaterThan(0);
  }
}
