package io.luagate.plugin.http;

import io.luagate.spi.stream.Session;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands an HTTP/2 client connection's frames, as Netty's decoder reads them (the
 * {@link Http2FrameListener} of the connection's {@link Http2ClientHandler}), to one
 * {@link Http2ClientStream} per stream, and their answers to Netty's encoder: what Netty's frame
 * codec and {@code Http2MultiplexHandler} do with a frame object, a pipeline pass and a child
 * channel per stream, at the cost of a map entry. A client's HEADERS frame on a new stream opens
 * its stream object (and exchange), once {@link Http2RequestCheck} found the request sound; the
 * stream's close in Netty's connection (both ends ended, or a reset either way) closes it.
 *
 * <p>Flushes: a stream's flush during the connection's read is left to the handler, which flushes
 * once when the read is over (one write for all the streams it answered); outside a read (a
 * server's answer came) it is noted, and one task on the loop's queue flushes once for every stream
 * that asked in this turn of the loop: an answer asks two or three times (its last piece, the end of
 * the server's read, the stream's orderly end), and each flush walks the flow controller. The same
 * task tells the session handlers of the streams that ended in this turn (never from within one of
 * their own calls), rather than a task of its own per stream.
 *
 * <p>Confined to the connection's loop.
 */
final class Http2StreamDispatch extends Http2ConnectionAdapter
        implements Http2FrameListener, Http2RemoteFlowController.Listener, Runnable {

    private final Session session;
    private final TimerGroup timers;
    private final Http2RequestCheck check = new Http2RequestCheck();
    private final IntObjectMap<Http2ClientStream> streams = new IntObjectHashMap<>();
    private Http2ClientHandler handler;
    private Http2Connection connection;
    private boolean inRead;
    /** A stream asked for a flush outside the connection's read: {@link #run()} does it. */
    private boolean flushWanted;
    /** {@link #run()} is on the loop's queue. */
    private boolean taskQueued;
    /** Streams over whose session handlers are yet to learn it, in {@link #run()}. */
    private final ArrayDeque<Http2ClientStream> ended = new ArrayDeque<>();

    Http2StreamDispatch(Session session, TimerGroup timers) {
        this.session = session;
        this.timers = timers;
    }

    /** Called once by the handler being built: its connection's stream events come here. */
    void attach(Http2ClientHandler handler) {
        this.handler = handler;
        this.connection = handler.connection();
        connection.addListener(this);
        connection.remote().flowController().listener(this);
    }

    private ChannelHandlerContext ctx() {
        return handler.context();
    }

    // ---- from the handler ----

    void readStarted() {
        inRead = true;
    }

    void readEnded() {
        inRead = false;
    }

    void connectionWritabilityChanged() {
        for (Http2ClientStream stream : snapshot()) {
            stream.writabilityChanged();
        }
    }

    void connectionClosed() {
        for (Http2ClientStream stream : snapshot()) {
            stream.connectionClosed();
        }
    }

    /**
     * A stream error in what the client sent on {@code stream}: reset with its own code, after
     * what its answer already has in flow control, and its exchange ends. The connection goes on.
     */
    void streamError(Http2Stream stream, Http2Error error) {
        int id = stream.id();
        check.ended(id);
        resetNow(id, error);
        Http2ClientStream client = streams.get(id);
        if (client != null) {
            client.failed(error);
        }
    }

    private List<Http2ClientStream> snapshot() {
        return new ArrayList<>(streams.values());
    }

    // ---- Http2FrameListener: what the client sent ----

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding, boolean endStream) {
        if (check.headers(streamId, headers, endStream) != null) {
            resetNow(streamId, Http2Error.PROTOCOL_ERROR);
            return;
        }
        Http2ClientStream stream = streams.get(streamId);
        if (stream == null) {
            Http2Stream state = connection.stream(streamId);
            if (state == null || !state.state().remoteSideOpen() && state.state() != Http2Stream.State.HALF_CLOSED_REMOTE) {
                // A stream already over (a reset crossing our end, say): nothing is waiting for it.
                return;
            }
            stream = new Http2ClientStream(this, state, session, timers);
            streams.put(streamId, stream);
            stream.open();
        }
        stream.headersRead(headers, endStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
            short weight, boolean exclusive, int padding, boolean endStream) {
        onHeadersRead(ctx, streamId, headers, padding, endStream);
    }

    /**
     * The payload goes back to the client's windows when the exchange takes it
     * ({@link #consume}); the padding at once, and the whole frame when nothing will take it.
     */
    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endStream) {
        if (check.data(streamId, data.readableBytes(), endStream) != null) {
            resetNow(streamId, Http2Error.PROTOCOL_ERROR);
            return data.readableBytes() + padding;
        }
        Http2ClientStream stream = streams.get(streamId);
        if (stream == null) {
            return data.readableBytes() + padding;
        }
        stream.dataRead(data.retain(), endStream);
        return padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
        // Netty closes the stream next (onStreamClosed).
        check.ended(streamId);
    }

    /** The client will open no more streams: the connection ends (gracefully) once its streams are done. */
    @Override
    public void onGoAwayRead(ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
        ctx.channel().close();
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight, boolean exclusive) {
        // Priorities are not used (RFC 9113 deprecates them; HAProxy 2.6 ignores them).
    }

    @Override
    public void onSettingsAckRead(ChannelHandlerContext ctx) {
        // Netty applies what is acknowledged.
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
        // Netty applies and acknowledges them.
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) {
        // Netty answers it.
    }

    @Override
    public void onPingAckRead(ChannelHandlerContext ctx, long data) {
        // luagate sends no PING of its own.
    }

    @Override
    public void onPushPromiseRead(ChannelHandlerContext ctx, int streamId, int promisedStreamId, Http2Headers headers, int padding) {
        // A client may not push: Netty's decoder refuses it as a connection error before this.
    }

    @Override
    public void onWindowUpdateRead(ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
        // Netty's flow controller takes it; a stream learns from writabilityChanged.
    }

    @Override
    public void onUnknownFrame(ChannelHandlerContext ctx, byte frameType, int streamId, Http2Flags flags, ByteBuf payload) {
        // Ignored, as RFC 9113 section 4.1 wants (Netty releases the payload).
    }

    // ---- Netty's connection: stream states and writability ----

    @Override
    public void onStreamHalfClosed(Http2Stream stream) {
        if (!stream.state().remoteSideOpen()) {
            check.ended(stream.id());
        }
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
        check.ended(stream.id());
        Http2ClientStream client = streams.get(stream.id());
        if (client != null) {
            client.streamClosed();
        }
    }

    @Override
    public void writabilityChanged(Http2Stream stream) {
        Http2ClientStream client = streams.get(stream.id());
        if (client != null) {
            client.writabilityChanged();
        }
    }

    // ---- for the streams ----

    /**
     * The stream is over here: its frames, if any more come, are dropped, and its session handler
     * learns it on a later turn of the loop ({@link Http2ClientStream#run()}).
     */
    void ended(Http2ClientStream stream) {
        streams.remove(stream.id());
        ended.add(stream);
        queueTask();
    }

    private void queueTask() {
        if (!taskQueued) {
            taskQueued = true;
            ctx().executor().execute(this);
        }
    }

    /** Once per turn of the loop in which streams ended or asked for a flush outside a read. */
    @Override
    public void run() {
        taskQueued = false;
        Http2ClientStream stream;
        while ((stream = ended.poll()) != null) {
            stream.run();
        }
        if (flushWanted) {
            flushWanted = false;
            handler.flush(ctx());
        }
    }

    ChannelPromise newPromise() {
        return ctx().newPromise();
    }

    /** Writes a stream's HEADERS; {@code promise} {@code null} when nothing waits on it. */
    void writeHeaders(Http2Stream stream, Http2Headers headers, boolean endStream, ChannelPromise promise) {
        ChannelHandlerContext ctx = ctx();
        handler.encoder().writeHeaders(ctx, stream.id(), headers, 0, endStream, promise == null ? ctx.voidPromise() : promise);
    }

    /** Writes a stream's DATA (flow control sends it when the windows let it); {@code promise} as above. */
    void writeData(Http2Stream stream, ByteBuf data, boolean endStream, ChannelPromise promise) {
        ChannelHandlerContext ctx = ctx();
        handler.encoder().writeData(ctx, stream.id(), data, 0, endStream, promise == null ? ctx.voidPromise() : promise);
    }

    void flushStream() {
        if (!inRead && !flushWanted) {
            flushWanted = true;
            queueTask();
        }
    }

    /** Resets a stream whose exchange gave up (CANCEL) or failed; it leaves with the next flush. */
    void reset(Http2Stream stream, Http2Error error) {
        ChannelHandlerContext ctx = ctx();
        handler.encoder().writeRstStream(ctx, stream.id(), error.code(), ctx.voidPromise());
        flushStream();
    }

    /**
     * Resets stream {@code id} for what the client sent, at once. What its exchange already wrote
     * and flow control still holds (the DATA of a response written during this read, whose flush
     * waits for the read's end) leaves first: a reset is written at once but held DATA only at
     * the flush, which would put DATA on the wire after the RST_STREAM of its stream.
     */
    private void resetNow(int id, Http2Error error) {
        if (!connection.streamMayHaveExisted(id)) {
            return;
        }
        ChannelHandlerContext ctx = ctx();
        try {
            handler.encoder().flowController().writePendingBytes();
        } catch (Http2Exception e) {
            handler.onError(ctx, true, e);
            return;
        }
        handler.encoder().writeRstStream(ctx, id, error.code(), ctx.newPromise());
        handler.flush(ctx);
    }

    /** The exchange took {@code bytes} of the stream's DATA: the client's windows may open again. */
    void consume(Http2Stream stream, int bytes) {
        if (bytes == 0 || stream.state() == Http2Stream.State.CLOSED) {
            // A closed stream's unread bytes went back to the connection's window with it.
            return;
        }
        try {
            connection.local().flowController().consumeBytes(stream, bytes);
        } catch (Http2Exception e) {
            handler.onError(ctx(), false, e);
        }
    }

    boolean isActive() {
        return ctx().channel().isActive();
    }

    /** The connection takes more output and the stream's window is not used up by what waits. */
    boolean isWritable(Http2Stream stream) {
        return ctx().channel().isWritable() && stream.state() != Http2Stream.State.CLOSED
                && connection.remote().flowController().isWritable(stream);
    }

    EventExecutor executor() {
        return ctx().executor();
    }

    ByteBufAllocator alloc() {
        return ctx().alloc();
    }
}
