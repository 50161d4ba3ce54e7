package dev.coroutine.bench.io;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * {@link EchoBench}'s "netty" mode: Netty 4.2 on its NIO transport, the server on one event loop
 * thread (one group of one {@link NioIoHandler} thread accepts and serves) and the clients on
 * another, as "ours" runs a loop thread per side. The protocol is EchoBench's: each client writes
 * the 32-byte line, waits for the whole echoed line ({@link LineBasedFrameDecoder}), counts it and
 * writes again until {@link EchoBench#stop}; the server writes back each line it decodes and
 * flushes once per read, Netty's idiomatic echo.
 *
 * <p>Every echoed line is compared with the line sent; a run with a wrong echo, a failed connect or
 * a client error throws instead of reporting a rate.
 */
final class NettyEcho {
  private NettyEcho() {}

  /** The longest line the decoders accept; the protocol's is 32 bytes. */
  private static final int MAX_LINE = Math.max(1024, EchoBench.LINE_BYTES);

  /** What a line must echo as: {@link EchoBench#LINE}, delimiter included. */
  private static final ByteBuf EXPECTED = Unpooled.wrappedBuffer(EchoBench.LINE).asReadOnly();

  /**
   * Round trips per second of {@code connections} clients for {@code seconds}; over TLS with an
   * {@link SslHandler} on the JDK's {@code SSLEngine} at the head of each pipeline when {@code tls}
   * (the clock then starts once every connection did its handshake and a round trip).
   */
  static double run(int connections, double seconds, boolean tls) throws InterruptedException {
    // one event-loop thread per side, or EchoBench.LOOPS (the multi-core row): the server's
    // group accepts on one of its loops and spreads the connections over all of them
    EventLoopGroup serverLoop =
        new MultiThreadIoEventLoopGroup(EchoBench.LOOPS, NioIoHandler.newFactory());
    EventLoopGroup clientLoop =
        new MultiThreadIoEventLoopGroup(EchoBench.LOOPS, NioIoHandler.newFactory());
    try {
      Channel server =
          new ServerBootstrap()
              .group(serverLoop)
              .channel(NioServerSocketChannel.class)
              .option(ChannelOption.SO_BACKLOG, 2048)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (tls) {
                        SSLEngine e = BenchCerts.SERVER.createSSLEngine();
                        e.setUseClientMode(false);
                        ch.pipeline().addLast(new SslHandler(e));
                      }
                      ch.pipeline()
                          .addLast(new LineBasedFrameDecoder(MAX_LINE, false, true), Echo.INSTANCE);
                    }
                  })
              .bind("127.0.0.1", 0)
              .sync()
              .channel();
      Clients clients = new Clients(connections);
      int port = ((InetSocketAddress) server.localAddress()).getPort();
      Bootstrap b =
          new Bootstrap()
              .group(clientLoop)
              .channel(NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      if (tls) {
                        SSLEngine e = BenchCerts.CLIENT.createSSLEngine("127.0.0.1", port);
                        e.setUseClientMode(true);
                        SSLParameters p = e.getSSLParameters();
                        p.setEndpointIdentificationAlgorithm("HTTPS");
                        e.setSSLParameters(p);
                        ch.pipeline().addLast(new SslHandler(e));
                      }
                      ch.pipeline().addLast(new LineBasedFrameDecoder(MAX_LINE, false, true));
                      ch.pipeline().addLast(new Client(clients));
                    }
                  });
      EchoBench.stop = false;
      EchoBench.resetGate(tls);
      long t0 = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        b.connect(server.localAddress())
            .addListener(
                (ChannelFutureListener)
                    f -> {
                      if (!f.isSuccess()) {
                        clients.failed(f.cause());
                      }
                    });
      }
      if (tls) {
        t0 = EchoBench.startWhenReady(connections);
      }
      Thread.sleep((long) (seconds * 1000));
      EchoBench.stop = true;
      if (!clients.closed.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException(clients.closed.getCount() + " clients never finished");
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      server.close().sync();
      if (clients.error.get() != null) {
        throw new IllegalStateException("a client failed", clients.error.get());
      }
      if (clients.wrong.sum() > 0) {
        throw new IllegalStateException(clients.wrong.sum() + " lines echoed wrong");
      }
      return clients.count.sum() / secs;
    } finally {
      clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
      serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }

  /** The server's handler: write back each decoded line, flush once per read. */
  @Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    static final Echo INSTANCE = new Echo();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object line) {
      ctx.write(line);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close(); // the client went away at the end of a run
    }
  }

  /** What the clients of one run share; touched only from the client loop but read after it. */
  static final class Clients {
    /** Round trips, added by each client when it closes. */
    final LongAdder count = new LongAdder();

    /** Echoes that differed from the line sent. */
    final LongAdder wrong = new LongAdder();

    /** Counted down when a client closes or fails to connect. */
    final CountDownLatch closed;

    /** The first failure of a client, or null. */
    final AtomicReference<Throwable> error = new AtomicReference<>();

    Clients(int connections) {
      closed = new CountDownLatch(connections);
    }

    void failed(Throwable cause) {
      EchoBench.failed.incrementAndGet();
      error.compareAndSet(null, cause);
      closed.countDown();
    }
  }

  /** One client connection: a line out, its echo in, again until the run stops. */
  static final class Client extends ChannelInboundHandlerAdapter {
    /** The run's shared counters. */
    private final Clients clients;

    /** Round trips completed on this connection (while {@link EchoBench#counting}). */
    private long n;

    /** The first echo came back (the connection is ready). */
    private boolean first = true;

    Client(Clients clients) {
      this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      send(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf line = (ByteBuf) msg;
      try {
        if (!ByteBufUtil.equals(line, EXPECTED)) {
          clients.wrong.increment();
        }
      } finally {
        line.release();
      }
      if (EchoBench.counting) {
        n++;
      } else if (first) {
        EchoBench.ready.incrementAndGet();
      }
      first = false;
      if (EchoBench.stop) {
        ctx.close();
      } else {
        send(ctx);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      clients.count.add(n);
      clients.closed.countDown();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (first) {
        EchoBench.failed.incrementAndGet(); // never ready: the start gate must not wait for it
      }
      clients.error.compareAndSet(null, cause);
      ctx.close();
    }

    private static void send(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(ctx.alloc().buffer(EchoBench.LINE.length).writeBytes(EchoBench.LINE));
    }
  }
}
