package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.TestBase;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The output queue shared by the socket and pipe transports. */
class WriteQueueTest extends TestBase {

  /**
   * Takes at most {@code take} bytes per write, records what it was offered, keeps what it took.
   */
  static final class Channel implements WritableByteChannel {
    final int take;
    final List<Integer> offered = new ArrayList<>();
    final java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();

    Channel(int take) {
      this.take = take;
    }

    @Override
    public int write(ByteBuffer b) {
      offered.add(b.remaining());
      int n = Math.min(take, b.remaining());
      byte[] x = new byte[n];
      b.get(x);
      got.write(x, 0, n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  @Test
  void bigWrite_isOfferedToTheChannelInBoundedSlices_notItsWholeRemainderEachTime()
      throws Exception {
    // the JDK copies all it is offered into a direct buffer: offering a 10 MB remainder per 64 KiB
    // taken made a large subprocess echo quadratic (100 MB took minutes)
    WriteQueue q = new WriteQueue(loop);
    Channel pipe = new Channel(64 * 1024);
    byte[] data = new byte[10 << 20];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31);
    }
    assertThat(q.write(pipe, data, 0, data.length))
        .isTrue(); // queued: the caller registers a writer
    while (!q.flush(pipe)) {
      // each flush is one writable event
    }
    assertThat(pipe.got.toByteArray()).isEqualTo(data);
    assertThat(pipe.offered).allMatch(n -> n <= WriteQueue.MAX_IO);
  }

  @Test
  void channelThatTakesWholeSlices_getsSeveralPerCall() throws Exception {
    WriteQueue q = new WriteQueue(loop);
    Channel socket = new Channel(Integer.MAX_VALUE);
    byte[] data = new byte[3 * WriteQueue.MAX_IO + 5];
    assertThat(q.write(socket, data, 0, data.length))
        .isFalse(); // all taken at once, nothing queued
    assertThat(socket.offered)
        .containsExactly(WriteQueue.MAX_IO, WriteQueue.MAX_IO, WriteQueue.MAX_IO, 5);
    assertThat(q.isEmpty()).isTrue();
  }

  @Test
  void capped_limitsAReadBuffersRoom() {
    ByteBuffer b = ByteBuffer.allocate(10 << 20).position(100);
    assertThat(WriteQueue.capped(b).remaining()).isEqualTo(WriteQueue.MAX_IO);
    ByteBuffer small = ByteBuffer.allocate(1000);
    assertThat(WriteQueue.capped(small).remaining()).isEqualTo(1000);
  }
}
