package dev.coroutine.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coroutine.TestBase;
import java.nio.channels.Pipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A pipe's two ends on one loop, through the transport code they share with sockets ({@link
 * SelectorTransport}): what a pipe does differently is that it carries one direction and its end of
 * file is its closing (asyncio's {@code _UnixReadPipeTransport} / {@code _UnixWritePipeTransport}).
 */
class PipeTransportTest extends TestBase {

  @Test
  void writeEof_onAPipe_isItsClose_sentOnceFlushed() throws Exception {
    Pipe p = Pipe.open();
    StreamWriter w = PipeTransport.writer(loop, p.sink());
    StreamReader r = PipeTransport.reader(loop, p.source(), 1 << 16);

    w.write("hello");
    assertThat(w.canWriteEof()).isTrue();
    w.writeEof();

    assertThat(w.isClosing()).isTrue(); // as asyncio's write pipe: write_eof() sets _closing
    w.write("x"); // dropped, as asyncio's write pipe drops writes once it is closing
    assertThat(new String(loop.runUntilComplete(r.read(-1)))).isEqualTo("hello");
    assertThat(r.atEof()).isTrue();
    loop.runUntilComplete(w.waitClosed());
    assertThat(p.sink().isOpen()).isFalse();
  }

  /**
   * A write-and-drain loop on a pipe closed with output still queued ends once it is flushed: the
   * drain yields while the close is under way (an outside review found it spinning, its writes
   * dropped, so the queue never flushed).
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void writeAndDrainLoop_closedWithOutputQueued_ends() throws Exception {
    Pipe p = Pipe.open();
    StreamWriter w = PipeTransport.writer(loop, p.sink());
    StreamReader r = PipeTransport.reader(loop, p.source(), 1 << 16);
    dev.coroutine.Task<Object> writing = loop.createTask(StreamsTest.writeUntilLost(w));
    loop.callLater(0.02, w::close); // the pipe is full by then: the close waits for the reader
    loop.callLater(
        0.05,
        () -> {
          try {
            loop.createTask(r.read(-1));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    assertThat(loop.runUntilComplete(writing)).isInstanceOf(java.io.IOException.class);
  }

  /**
   * A failure that is not an I/O error while the read data is delivered (here out of memory for a
   * reader's buffer) closes the transport with it, so the pending read fails with it, and is
   * reported once (asyncio's {@code _fatal_error}). An outside test found the channel left
   * registered: every pass read again and failed the same way, hundreds of reports a second, the
   * read never ending.
   */
  @Test
  @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void failureWhileDeliveringData_closesTheTransport_andFailsTheRead() throws Exception {
    Pipe p = Pipe.open();
    PipeTransport t = new PipeTransport(loop, p.source());
    StreamReader r = new StreamReader(loop, 1 << 16, t);
    OutOfMemoryError oom = new OutOfMemoryError("simulated: no room for the data");
    int[] deliveries = new int[1];
    t.setProtocol(
        new Protocol() {
          @Override
          public java.nio.ByteBuffer getBuffer(int sizeHint) {
            return r.feed.getBuffer(sizeHint);
          }

          @Override
          public void bufferUpdated(int n) {
            deliveries[0]++;
            throw oom;
          }

          @Override
          public void eofReceived() {
            r.feed.eofReceived();
          }

          @Override
          public void connectionLost(Throwable e) {
            r.feed.connectionLost(e);
          }
        });
    StreamWriter w = PipeTransport.writer(loop, p.sink());
    w.write("data");

    dev.coroutine.Task<byte[]> read = loop.createTask(r.read(-1));
    loop.runUntilComplete(dev.coroutine.Coroutines.sleep(200));

    assertThat(read.isDone()).isTrue();
    assertThat(read.exception()).isSameAs(oom);
    assertThat(deliveries[0]).isEqualTo(1);
    assertThat(p.source().isOpen()).isFalse();
    assertThat(loopErrors).hasSize(1);
    assertThat(loopErrors.get(0).exception()).isSameAs(oom);
    assertThat(loopErrors.get(0).message()).startsWith("Fatal error on PipeTransport");
    loopErrors.clear();
    w.close();
  }

  @Test
  void readEnd_atEndOfFile_closesItsPipe() throws Exception {
    Pipe p = Pipe.open();
    StreamWriter w = PipeTransport.writer(loop, p.sink());
    StreamReader r = PipeTransport.reader(loop, p.source(), 1 << 16);

    w.write("x");
    w.close();

    assertThat(new String(loop.runUntilComplete(r.read(-1)))).isEqualTo("x");
    assertThat(p.source().isOpen()).isFalse(); // nothing is left to do with a read end after EOF
  }

  @Test
  void fullReader_pausesTheReadEnd_andResumesWhenRead_losingNothing() throws Exception {
    Pipe p = Pipe.open();
    StreamWriter w = PipeTransport.writer(loop, p.sink());
    StreamReader r = PipeTransport.reader(loop, p.source(), 1024); // pauses above 2 * limit
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 7);
    }

    w.write(data);
    w.close();

    assertThat(loop.runUntilComplete(r.readExactly(data.length))).isEqualTo(data);
    assertThat(loop.runUntilComplete(r.read(-1))).isEmpty();
    assertThat(r.atEof()).isTrue();
  }
}
