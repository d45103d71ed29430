package io.luagate.plugin.http;

/**
 * The bytes that crossed a client's wire, so the access log reports what was really sent (head and
 * body, as HAProxy's %B does), and so the session knows when the first byte of a request arrived
 * (the keep-alive timeout becomes the request timeout then). On an HTTP/1.1 connection the
 * {@link ClientInput} next to the socket counts into it; on an HTTP/2 stream the stream's
 * {@link Http2StreamBridge} does (DATA as its payload, a header block as HTTP/1.1 would write it,
 * which is what HAProxy counts too).
 */
final class WireCounter {

    long bytesIn;
    long bytesOut;
    /**
     * The part of {@link #bytesIn} already counted to finished requests. A request's head is read
     * before its exchange exists, so an exchange counts from here, not from {@code bytesIn} at its
     * start: its head is part of what it received (HAProxy's {@code bin}).
     */
    long bytesInCounted;
    /** Set on every read; cleared by the session when it starts waiting for a new request. */
    boolean readSinceIdle;
    /** Told of the first byte of each request (an HTTP/1.1 connection's; {@code null} on an HTTP/2 stream). */
    private HttpSessionHandler session;

    void onFirstRead(HttpSessionHandler session) {
        this.session = session;
    }

    /** Counts {@code bytes} read (none for a message that carries no bytes: a read all the same). */
    void received(long bytes) {
        bytesIn += bytes;
        if (!readSinceIdle) {
            readSinceIdle = true;
            if (session != null) {
                session.firstByteOfRequest();
            }
        }
    }

    void sent(long bytes) {
        bytesOut += bytes;
    }
}
