package io.luagate.plugin.http;

import io.luagate.spi.stream.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;

/**
 * One HTTP/2 stream of a client connection, serving its one request: the {@link ClientEnd} of its
 * {@link HttpSessionHandler} and exchange, as an HTTP/1.1 connection's pipeline is for its own. A
 * light object rather than a channel of its own (Netty's child channels cost a pipeline, a
 * registration, promises and a close task per stream): a response's HEADERS and DATA go to Netty's
 * encoder through the connection's {@link Http2StreamDispatch} as they are written, and its read
 * batch ends with one flush.
 *
 * <p>Reading follows a channel's with auto-read off: the frames the client sends, made the
 * exchange's messages as they arrive, wait here until the exchange asks for more; each ask gets
 * one frame's worth, at once or as it arrives. A DATA frame's bytes are given back to the client's
 * window (WINDOW_UPDATE, by Netty's flow controller) only when the exchange takes it: one stream
 * that reads slowly never stalls the others, and a client cannot make the proxy buffer more than
 * the stream's window.
 *
 * <p>Closing a stream that is not over resets it (CANCEL), as closing a child channel did. The
 * session handler is told that the stream is gone on a later turn of the loop, never from within
 * one of its own calls. Confined to the connection's loop.
 */
final class Http2ClientStream implements ClientEnd, Http2StreamBridge.Frames, Runnable {

    private final Http2StreamDispatch connection;
    private final Http2Stream stream;
    private final Http2StreamBridge bridge;
    private final HttpSessionHandler handler;
    /** Messages of the frames the client sent that the exchange has not asked for yet. */
    private ArrayDeque<Object> inbound;
    /** The exchange asked for more: the next frame goes to it as it comes. */
    private boolean reading;
    private boolean draining;
    /** The stream is closed in the codec: once what waits is read, the end is told. */
    private boolean streamClosed;
    private boolean closed;
    private boolean receivedEnd;
    private boolean sentEnd;
    /** The write that ends the stream, whose leaving an orderly close waits for. */
    private ChannelFuture lastWrite;

    Http2ClientStream(Http2StreamDispatch connection, Http2Stream stream, Session session, TimerGroup timers) {
        this.connection = connection;
        this.stream = stream;
        WireCounter wire = new WireCounter();
        this.bridge = new Http2StreamBridge(wire);
        this.handler = new HttpSessionHandler(session, wire, this, timers);
    }

    int id() {
        return stream.id();
    }

    /** Starts the session handler: it asks for the request at once. */
    void open() {
        handler.streamOpened();
    }

    // ---- from the connection ----

    /** A HEADERS frame of this stream from the client: the request head, or its trailers. */
    void headersRead(Http2Headers headers, boolean endStream) {
        if (closed) {
            return;
        }
        HttpObject msg;
        try {
            msg = bridge.headers(stream.id(), headers, endStream);
        } catch (Http2Exception.StreamException e) {
            reset(e.error());
            end();
            return;
        }
        arrived(msg, msg instanceof HttpRequest && endStream ? LastHttpContent.EMPTY_LAST_CONTENT : null);
    }

    /** A DATA frame of this stream from the client; {@code data} is this stream's to release. */
    void dataRead(ByteBuf data, boolean endStream) {
        if (closed) {
            data.release();
            return;
        }
        arrived(bridge.data(data, endStream), null);
    }

    /** One frame's messages ({@code then}, if any, follows {@code msg} in the same ask). */
    private void arrived(HttpObject msg, HttpObject then) {
        if (reading && !draining && (inbound == null || inbound.isEmpty())) {
            draining = true;
            try {
                giveOne(msg, then);
            } finally {
                draining = false;
            }
            return;
        }
        // Not asked for yet (a body piece, trailers): it waits. A request head is always asked for
        // (the session handler asks when the stream opens), so a frame of two messages never waits.
        if (inbound == null) {
            inbound = new ArrayDeque<>(4);
        }
        inbound.add(msg);
        if (then != null) {
            inbound.add(then);
        }
    }

    /** The codec closed the stream (both ends ended, or a reset either way). */
    void streamClosed() {
        streamClosed = true;
        if (closed) {
            return;
        }
        if (inbound == null || inbound.isEmpty()) {
            end();
        } else if (reading && !draining) {
            drain();
        }
        // Else the exchange reads what waits, then the stream ends (as a child channel did).
    }

    /** A stream error the codec or the request check found: the stream is reset (already, by them) and ends. */
    void failed(Http2Error error) {
        if (!closed) {
            reset(error);
            end();
        }
    }

    void writabilityChanged() {
        if (!closed) {
            handler.writabilityChanged();
        }
    }

    /** The connection is gone. */
    void connectionClosed() {
        end();
    }

    // ---- ClientEnd: from the session handler and the exchange ----

    @Override
    public void write(Object msg) {
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        bridge.write(msg, this);
    }

    @Override
    public void headers(Http2Headers headers, boolean endStream) {
        connection.writeHeaders(stream, headers, endStream, endStream ? lastWrite() : null);
    }

    @Override
    public void data(ByteBuf data, boolean endStream) {
        connection.writeData(stream, data, endStream, endStream ? lastWrite() : null);
    }

    /**
     * The promise of the write that ends the stream, which an orderly close waits for; none when
     * the request is complete already: the close then resets nothing, and waits for nothing.
     */
    private ChannelPromise lastWrite() {
        sentEnd = true;
        if (receivedEnd) {
            return null;
        }
        ChannelPromise promise = connection.newPromise();
        lastWrite = promise;
        return promise;
    }

    @Override
    public void flush() {
        connection.flushStream();
    }

    @Override
    public void writeInterim(HttpResponse interim) {
        writeAndFlush(new DefaultFullHttpResponse(interim.protocolVersion(), interim.status(), Unpooled.EMPTY_BUFFER,
                interim.headers(), DefaultHttpHeadersFactory.trailersFactory().newHeaders()));
    }

    @Override
    public void read() {
        if (closed) {
            return;
        }
        reading = true;
        if (!draining && inbound != null && !inbound.isEmpty()) {
            drain();
        } else if (!draining && streamClosed && (inbound == null || inbound.isEmpty())) {
            end();
        }
    }

    /**
     * Gives what waits, one frame per ask as a channel with auto-read off does (the exchange asks
     * again from within its read when it wants more), all of it once the stream is closed.
     */
    private void drain() {
        draining = true;
        try {
            Object msg;
            while ((reading || streamClosed) && !closed && (msg = inbound.poll()) != null) {
                giveOne(msg, null);
            }
        } finally {
            draining = false;
        }
        // What the exchange took may have opened the client's window: it leaves now.
        connection.flushStream();
        if (streamClosed && !closed && inbound.isEmpty()) {
            end();
        }
    }

    /** One frame's messages to the exchange, then the end of that read (the ask is used up unless it asks again). */
    private void giveOne(Object msg, Object then) {
        reading = false;
        give(msg);
        if (then != null) {
            give(then);
        }
        if (!closed) {
            handler.readComplete();
        }
    }

    private void give(Object msg) {
        if (msg instanceof HttpContent content) {
            connection.consume(stream, content.content().readableBytes());
            receivedEnd |= msg instanceof LastHttpContent;
        }
        handler.read(msg);
    }

    /**
     * Ends the stream: once both sides ended it, nothing is sent; before, it is reset with CANCEL
     * (the answer is complete but the client still sends, or the exchange gave up).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!streamClosed && !(receivedEnd && sentEnd)) {
            reset(Http2Error.CANCEL);
        }
        end();
    }

    private void reset(Http2Error error) {
        if (!streamClosed && connection.isActive()) {
            connection.reset(stream, error);
        }
    }

    /** No more frames either way; the session handler learns it on the next turn of the loop. */
    private void end() {
        if (closed) {
            return;
        }
        closed = true;
        reading = false;
        if (inbound != null) {
            Object msg;
            while ((msg = inbound.poll()) != null) {
                ReferenceCountUtil.release(msg);
            }
        }
        connection.ended(this);
    }

    /** The deferred end ({@link Http2StreamDispatch#run()}): the session handler (and its exchange, if still going) learns the stream is gone. */
    @Override
    public void run() {
        handler.closed();
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public boolean isWritable() {
        return !closed && connection.isWritable(stream);
    }

    @Override
    public EventExecutor executor() {
        return connection.executor();
    }

    @Override
    public ByteBufAllocator alloc() {
        return connection.alloc();
    }

    // ---- for the session handler's orderly end ----

    /** Whether the client may still send on this stream (it has not ended its request). */
    boolean clientSending() {
        return !closed && !receivedEnd && stream.state().remoteSideOpen();
    }

    /**
     * Runs {@code task} once everything written so far has been written out (or failed), so that a
     * reset never cuts the answer; at once when the client's request was complete before the
     * answer ended (nothing will be reset).
     */
    void afterWrites(Runnable task) {
        flush();
        ChannelFuture last = lastWrite;
        if (last == null || last.isDone()) {
            task.run();
        } else {
            last.addListener(f -> task.run());
        }
    }
}
