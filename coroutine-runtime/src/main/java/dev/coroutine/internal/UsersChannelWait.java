package dev.coroutine.internal;

/**
 * The readiness callback of a wait on a channel that stays the user's ({@code Sockets}' calls, as
 * asyncio's {@code sock_recv} and the like): the loop's selector keeps the channel registered after
 * the wait, but closing the loop only lets go of it, where it closes the channels of streams,
 * servers and pipes it has not closed yet.
 *
 * <p>Plumbing of the event loop's core (public for it, not exported by the module).
 */
public interface UsersChannelWait extends Runnable {}
