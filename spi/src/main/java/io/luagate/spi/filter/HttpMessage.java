package io.luagate.spi.filter;

import io.luagate.spi.http.HttpHead;

/**
 * The HTTP message a filter callback works on: its head, and during {@link FilterInstance#httpPayload}
 * the part of the body that passes now. Offsets are within that part; valid only during the call.
 */
public interface HttpMessage {

    /** Whether this is the response. */
    boolean isResponse();

    /** The head; changes to it count only in {@link FilterInstance#httpHeaders} (the head leaves after it). */
    HttpHead head();

    /** Whether the message's end passes with this call (the last body part, or {@link FilterInstance#httpEnd}). */
    boolean endOfMessage();

    /** Bytes of the body part passing now; 0 outside {@link FilterInstance#httpPayload}. */
    int input();

    /** A copy of {@code length} bytes at {@code offset} of the body part passing now. */
    byte[] read(int offset, int length);

    /**
     * Replaces {@code length} bytes at {@code offset} of the body part passing now with {@code data}
     * (insert: length 0; remove: empty data).
     *
     * @return {@code false}, changing nothing, when no part passes now, or when the change would
     *         alter the body's length and its framing cannot follow: a body whose head left with a
     *         {@code Content-Length}, or a message without a body (a message a filter sees the body
     *         of from its head on is sent chunked, or delimited by the connection's close, for this
     *         reason)
     */
    boolean replace(int offset, int length, byte[] data);
}
