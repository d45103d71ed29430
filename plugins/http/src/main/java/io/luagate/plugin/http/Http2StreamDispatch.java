package io.luagate.plugin.http;

import io.luagate.spi.stream.Session;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2FrameStreamEvent;
import io.netty.handler.codec.http2.Http2FrameStreamException;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands an HTTP/2 client connection's stream frames to one {@link Http2ClientStream} per stream,
 * and their frames to Netty's frame codec: what Netty's {@code Http2MultiplexHandler} does with a
 * child channel per stream, at the cost of a map entry. A client's HEADERS frame on a new stream
 * opens its stream object (and exchange); the codec's state events close it.
 *
 * <p>Flushes: a stream's flush during the connection's read is left to the codec, which flushes
 * once when the read is over (one write for all the streams it answered); outside a read (a
 * server's answer came) it is noted, and one task on the loop's queue flushes once for every stream
 * that asked in this turn of the loop: an answer asks two or three times (its last piece, the end of
 * the server's read, the stream's orderly end), and each flush through the codec walks the pipeline
 * and its flow controller. The same task tells the session handlers of the streams that ended in
 * this turn (never from within one of their own calls), rather than a task of its own per stream.
 *
 * <p>Sits after the frame codec and {@link Http2RequestCheck}, on the connection's loop.
 */
final class Http2StreamDispatch extends ChannelDuplexHandler implements Runnable {

    private final Session session;
    private final Http2FrameCodec frames;
    private final TimerGroup timers;
    private final IntObjectMap<Http2ClientStream> streams = new IntObjectHashMap<>();
    private ChannelHandlerContext ctx;
    private boolean inRead;
    /** A stream asked for a flush outside the connection's read: {@link #run()} does it. */
    private boolean flushWanted;
    /** {@link #run()} is on the loop's queue. */
    private boolean taskQueued;
    /** Streams over whose session handlers are yet to learn it, in {@link #run()}. */
    private final ArrayDeque<Http2ClientStream> ended = new ArrayDeque<>();

    Http2StreamDispatch(Session session, Http2FrameCodec frames, TimerGroup timers) {
        this.session = session;
        this.frames = frames;
        this.timers = timers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inRead = true;
        if (!(msg instanceof Http2StreamFrame frame) || frame.stream() == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        int id = frame.stream().id();
        Http2ClientStream stream = streams.get(id);
        if (stream == null) {
            if (!(msg instanceof Http2HeadersFrame) || !frame.stream().state().remoteSideOpen()
                    && frame.stream().state() != Http2Stream.State.HALF_CLOSED_REMOTE) {
                // A frame of a stream already over (a reset crossing our end, say): nothing is waiting for it.
                ReferenceCountUtil.release(msg);
                return;
            }
            stream = new Http2ClientStream(this, frame.stream(), session, timers);
            streams.put(id, stream);
            stream.open();
        }
        stream.frameRead(frame);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof Http2FrameStreamEvent event) {
            Http2ClientStream stream = streams.get(event.stream().id());
            if (stream != null) {
                if (event.type() == Http2FrameStreamEvent.Type.Writability) {
                    stream.writabilityChanged();
                } else if (event.stream().state() == Http2Stream.State.CLOSED) {
                    stream.streamClosed();
                }
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /**
     * A stream error found in what the client sent ({@link Http2RequestCheck} already reset the
     * stream with its code): the stream's exchange ends, the connection goes on. Other errors go on
     * to the connection's end.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof Http2FrameStreamException error) {
            Http2ClientStream stream = streams.get(error.stream().id());
            if (stream != null) {
                stream.failed(error.error());
            }
            // The connection goes on.
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        for (Http2ClientStream stream : snapshot()) {
            stream.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Http2ClientStream stream : snapshot()) {
            stream.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    private List<Http2ClientStream> snapshot() {
        return new ArrayList<>(streams.values());
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
            ctx.executor().execute(this);
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
            ctx.flush();
        }
    }

    ChannelPromise newPromise() {
        return ctx.newPromise();
    }

    /** Writes a frame of a stream; {@code promise} {@code null} when nothing waits on it. */
    void write(Http2StreamFrame frame, ChannelPromise promise) {
        ctx.write(frame, promise == null ? ctx.voidPromise() : promise);
    }

    void flushStream() {
        if (!inRead && !flushWanted) {
            flushWanted = true;
            queueTask();
        }
    }

    void reset(Http2FrameStream stream, Http2Error error) {
        ctx.write(new DefaultHttp2ResetFrame(error).stream(stream), ctx.voidPromise());
        flushStream();
    }

    /** The exchange took {@code bytes} of the stream's DATA: the client's windows may open again. */
    void consume(Http2FrameStream stream, int bytes) {
        if (bytes == 0) {
            return;
        }
        Http2Stream state = frames.connection().stream(stream.id());
        if (state == null) {
            // Closed: its unread bytes went back to the connection's window with it.
            return;
        }
        try {
            frames.connection().local().flowController().consumeBytes(state, bytes);
        } catch (Http2Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    boolean isActive() {
        return ctx.channel().isActive();
    }

    /** The connection takes more output and the stream's window is not used up by what waits. */
    boolean isWritable(Http2FrameStream stream) {
        if (!ctx.channel().isWritable()) {
            return false;
        }
        Http2Stream state = frames.connection().stream(stream.id());
        return state != null && frames.connection().remote().flowController().isWritable(state);
    }

    EventExecutor executor() {
        return ctx.executor();
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }
}
