package io.luagate.plugin.http;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.EventExecutor;

/**
 * The client's end of one exchange as the exchange and its session handler see it: an HTTP/1.1
 * connection's pipeline ({@link Http1ClientEnd}) or one HTTP/2 stream ({@link Http2ClientStream}).
 * Messages are HTTP/1.1's (a response head, body pieces, a last piece); writes carry no promise,
 * as the exchange never waits on one. Confined to the client's event loop.
 */
interface ClientEnd {

    /** Writes a response head or body piece; it leaves at the next {@link #flush()}. */
    void write(Object msg);

    void flush();

    default void writeAndFlush(Object msg) {
        write(msg);
        flush();
    }

    /** Sends an interim (1xx) response head at once. */
    void writeInterim(HttpResponse interim);

    /** Asks for more of the request (backpressure: nothing more is read until asked). */
    void read();

    /** Ends this end: the connection's close, or the stream's (a reset when it is not over). */
    void close();

    boolean isActive();

    /** Whether more may be written without piling up output (the socket's, or the stream's window). */
    boolean isWritable();

    EventExecutor executor();

    ByteBufAllocator alloc();
}
