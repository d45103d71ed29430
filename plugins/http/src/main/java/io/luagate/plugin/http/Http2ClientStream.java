package io.luagate.plugin.http;

import io.luagate.spi.stream.Session;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One HTTP/2 stream of a client connection, serving its one request: the {@link ClientEnd} of its
 * {@link HttpSessionHandler} and exchange, as an HTTP/1.1 connection's pipeline is for its own. A
 * light object rather than a channel of its own (Netty's child channels cost a pipeline, a
 * registration, promises and a close task per stream): frames go to the connection's
 * {@link Http2StreamDispatch} as they are written, and its read batch ends with one flush.
 *
 * <p>Reading follows a channel's with auto-read off: frames the client sends wait here until the
 * exchange asks for more; each ask gets one frame, at once or as it arrives. A DATA frame's bytes are given back to the client's
 * window (WINDOW_UPDATE, by Netty's flow controller) only when the exchange takes it: one stream
 * that reads slowly never stalls the others, and a client cannot make the proxy buffer more than
 * the stream's window.
 *
 * <p>Closing a stream that is not over resets it (CANCEL), as closing a child channel did. The
 * session handler is told that the stream is gone on a later turn of the loop, never from within
 * one of its own calls. Confined to the connection's loop.
 */
final class Http2ClientStream implements ClientEnd, Runnable {

    private final Http2StreamDispatch connection;
    private final Http2FrameStream stream;
    private final Http2StreamBridge bridge;
    private final HttpSessionHandler handler;
    private final Consumer<Object> toHandler;
    private final Consumer<Http2StreamFrame> toConnection;
    /** Frames the client sent that the exchange has not asked for yet. */
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

    Http2ClientStream(Http2StreamDispatch connection, Http2FrameStream stream, Session session, TimerGroup timers) {
        this.connection = connection;
        this.stream = stream;
        WireCounter wire = new WireCounter();
        this.bridge = new Http2StreamBridge(wire);
        this.handler = new HttpSessionHandler(session, wire, this, timers);
        this.toHandler = handler::read;
        this.toConnection = this::writeFrame;
    }

    int id() {
        return stream.id();
    }

    /** Starts the session handler: it asks for the request at once. */
    void open() {
        handler.streamOpened();
    }

    // ---- from the connection ----

    /** A frame of this stream from the client (a HEADERS, DATA or RST_STREAM frame). */
    void frameRead(Http2StreamFrame frame) {
        if (closed) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (reading && !draining && (inbound == null || inbound.isEmpty())) {
            draining = true;
            try {
                giveOne(frame);
            } finally {
                draining = false;
            }
            return;
        }
        if (inbound == null) {
            inbound = new ArrayDeque<>(4);
        }
        inbound.add(frame);
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
        bridge.write(msg, toConnection);
    }

    private void writeFrame(Http2StreamFrame frame) {
        boolean ends = frame instanceof Http2DataFrame data ? data.isEndStream() : ((Http2HeadersFrame) frame).isEndStream();
        if (ends) {
            sentEnd = true;
            ChannelPromise promise = connection.newPromise();
            lastWrite = promise;
            connection.write(frame.stream(stream), promise);
        } else {
            connection.write(frame.stream(stream), null);
        }
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
            Object frame;
            while ((reading || streamClosed) && !closed && (frame = inbound.poll()) != null) {
                giveOne(frame);
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

    /** One frame to the exchange, then the end of that read (the ask is used up unless it asks again). */
    private void giveOne(Object frame) {
        reading = false;
        give(frame);
        if (!closed) {
            handler.readComplete();
        }
    }

    private void give(Object frame) {
        if (frame instanceof Http2DataFrame data) {
            connection.consume(stream, data.initialFlowControlledBytes());
            receivedEnd |= data.isEndStream();
        } else if (frame instanceof Http2HeadersFrame headers) {
            receivedEnd |= headers.isEndStream();
        }
        try {
            bridge.read(frame, toHandler);
        } catch (Http2Exception.StreamException e) {
            reset(e.error());
            end();
        }
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
        Http2Stream.State state = stream.state();
        return !closed && !receivedEnd && state != null && state.remoteSideOpen();
    }

    /** Runs {@code task} once everything written so far has been written out (or failed). */
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
