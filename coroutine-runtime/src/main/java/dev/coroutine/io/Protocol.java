package dev.coroutine.io;

import java.nio.ByteBuffer;

/**
 * What a {@link Transport} delivers incoming bytes to: asyncio's {@code BufferedProtocol}. The
 * transport asks for a buffer, reads into it, and reports how many bytes it put there, so bytes go
 * from the socket straight into the receiver's own array (no copy, no allocation per read).
 *
 * <p>Implemented by the {@link StreamReader}'s feed and by {@link TlsTransport} (which receives
 * ciphertext from the transport below it). Called on the loop thread.
 */
interface Protocol {
  /**
   * A buffer with at least {@code sizeHint} bytes free between its position and its limit; the
   * transport writes there, advancing the position, then calls {@link #bufferUpdated}.
   */
  ByteBuffer getBuffer(int sizeHint);

  /** {@code n > 0} bytes were written into the buffer last returned by {@link #getBuffer}. */
  void bufferUpdated(int n);

  /** The peer sent its end of stream; the transport may still be written to. */
  void eofReceived();

  /**
   * The connection is closed: {@code e} is null for a clean close, else the error that ended it.
   * Called exactly once.
   */
  void connectionLost(Throwable e);
}
