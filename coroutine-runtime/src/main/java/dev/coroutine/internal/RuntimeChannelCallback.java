package dev.coroutine.internal;

/**
 * The readiness callback of a channel the runtime owns (a stream's, a server's, a pipe's, a
 * datagram endpoint's): the loop's selector keeps such a channel registered while nothing waits on
 * it, and closing the loop closes it. Any other channel (the user's, as with asyncio's {@code
 * add_reader} or {@code sock_recv}) leaves the selector when its last callback is removed, so the
 * user may close it at once or make it blocking again.
 *
 * <p>Plumbing of the event loop's core (public for it, not exported by the module).
 */
public interface RuntimeChannelCallback extends Runnable {}
