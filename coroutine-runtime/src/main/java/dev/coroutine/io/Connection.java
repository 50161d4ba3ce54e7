package dev.coroutine.io;

/**
 * The two halves of a stream connection, as returned by {@link Streams#openConnection}: asyncio's
 * {@code (reader, writer)} pair.
 *
 * @param reader what the peer sends
 * @param writer what goes to the peer
 */
public record Connection(StreamReader reader, StreamWriter writer) {}
