package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The HTTP/1.1 client connection's handler next to the socket: it counts the bytes that cross the
 * socket into the connection's {@link WireCounter}, and it is the input buffer in front of the
 * request decoder (one handler for both: every handler costs an idle connection its context, and
 * every message a hop).
 *
 * <p>A socket read can bring hundreds of pipelined requests, and the decoder turns all the bytes it
 * is given into messages at once; so the bytes wait here and go to the decoder a small slice at a
 * time, each slice when the session asks for more (a {@code read()}). The session asks only while
 * nothing decoded waits, so what is decoded ahead of the request being served stays within one
 * slice (HAProxy parses one request at a time from its input buffer), and the decoder's pipelining
 * depth limit is never reached. The socket itself is read only when this buffer is empty (the epoll
 * transport still reads on by itself to the end once the client sent its FIN, within its receive
 * buffer).
 *
 * <p>The client's FIN is held as well until the bytes before it are decoded: the decoder would
 * otherwise take it for the end of everything and drop what it was not given yet.
 *
 * <p>Confined to the client's event loop; owns the buffers it holds until they are sliced down or
 * released.
 */
final class ClientInput extends ChannelDuplexHandler {

    /**
     * Bytes given to the decoder per slice. The shortest request the decoder accepts is 16 bytes
     * ({@code "A * HTTP/1.1\r\n\r\n"}), so one slice decodes at most 64 requests: with the one being
     * served, fewer than the {@link RequestDecoder#MAX_PIPELINE_DEPTH} unanswered requests it allows.
     */
    static final int SLICE = 1024;
    /**
     * The largest slice of a request body whose length is known: as large as the decoder's body
     * pieces, and never past the body's end, so no request behind it is decoded with it.
     */
    static final int BODY_SLICE = 16 * 1024;

    private final WireCounter wire = new WireCounter();
    /**
     * The oldest buffer held, or {@code null} when none is: what one socket read brought most often
     * waits alone, and an idle connection holds nothing, so the queue is for the rest.
     */
    private ByteBuf first;
    /** The buffers held behind {@link #first}, oldest first; made when two first wait at once. */
    private ArrayDeque<ByteBuf> more;
    /** Made when a read is first answered from held bytes (pipelined requests). */
    private Runnable feedTask;
    private ChannelHandlerContext ctx;
    /** The client's FIN arrived while bytes were still held. */
    private boolean finHeld;
    /** Someone downstream asked for more input. */
    private boolean readWanted;
    /** A batch of slices is being handed down: a read asked for now continues it. */
    private boolean feeding;
    private boolean feedScheduled;
    /** The connection is closing: what the client still sends is read and dropped, undecoded. */
    private boolean discarding;
    /** How many of the next bytes are the body of the request being read (a Content-Length body). */
    private long bodyAhead;

    /** What crossed this connection's socket. */
    WireCounter wire() {
        return wire;
    }

    /** Says how many of the next bytes are known to be body (0: unknown, slices stay small). */
    void bodyAhead(long bytes) {
        bodyAhead = bytes;
    }

    /** Whether input of the client (bytes, or its FIN) waits here to be decoded. */
    boolean holding() {
        return first != null || finHeld;
    }

    /**
     * From now on drops what the client sends, reading on until it stops (a lingering close).
     *
     * @return whether the client already sent its FIN (nothing more will come)
     */
    boolean discard() {
        discarding = true;
        boolean fin = finHeld;
        release();
        return fin;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        wire.received(msg instanceof ByteBuf buf ? buf.readableBytes() : 0);
        if (discarding) {
            ReferenceCountUtil.release(msg);
        } else if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
        } else if (buf.isReadable()) {
            hold(buf);
            // The socket was read because someone asked: the first slice goes down at this read's end.
            readWanted = true;
        } else {
            buf.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (discarding) {
            ctx.read();
        } else if (first != null && readWanted && !feeding) {
            feed();
        } else {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!holding() || discarding) {
            ctx.read();
            return;
        }
        readWanted = true;
        if (!feeding && !feedScheduled) {
            // As from a socket read, the bytes come on a later turn of the loop: the caller may be
            // in the middle of a state change and must not get messages back inside its call. (A
            // read asked for while slices go down is picked up by the batch in progress.)
            feedScheduled = true;
            if (feedTask == null) {
                feedTask = this::feed;
            }
            ctx.executor().execute(feedTask);
        }
    }

    /**
     * Hands slices down while they are asked for, each batch ended as a socket read would end it.
     * Runs only at the top of a turn of the loop (a socket read's end, or its own task), so a read
     * asked for at a batch's end (the decoder wants the rest of a head) goes on here at once.
     */
    private void feed() {
        feedScheduled = false;
        if (feeding || discarding) {
            return;
        }
        feeding = true;
        try {
            while (readWanted && first != null) {
                while (readWanted && first != null) {
                    readWanted = false;
                    ctx.fireChannelRead(nextSlice());
                }
                ctx.fireChannelReadComplete();
            }
        } finally {
            feeding = false;
        }
        if (first == null && finHeld && readWanted && !discarding) {
            // Everything before the FIN is decoded and more is wanted: now the FIN.
            finHeld = false;
            readWanted = false;
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    /** The next slice from the oldest held buffer; the caller owns it. */
    private ByteBuf nextSlice() {
        int size = bodyAhead > SLICE ? (int) Math.min(bodyAhead, BODY_SLICE) : SLICE;
        ByteBuf slice = first.readableBytes() <= size ? takeFirst() : first.readRetainedSlice(size);
        bodyAhead -= Math.min(bodyAhead, slice.readableBytes());
        return slice;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && first != null && !discarding) {
            finHeld = true;
            return;
        }
        if (evt instanceof ChannelInputShutdownReadComplete && finHeld) {
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        // Leaving HTTP (a tunnel): what the client sent after the decoded part goes on, in order.
        boolean fin = finHeld;
        finHeld = false;
        if (!ctx.channel().isActive()) {
            release();
            return;
        }
        boolean any = false;
        ByteBuf buf;
        while ((buf = takeFirst()) != null) {
            any = true;
            ctx.fireChannelRead(buf);
        }
        if (any) {
            ctx.fireChannelReadComplete();
        }
        if (fin) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            wire.sent(buf.readableBytes());
        }
        ctx.write(msg, promise);
    }

    private void hold(ByteBuf buf) {
        if (first == null) {
            first = buf;
            return;
        }
        if (more == null) {
            more = new ArrayDeque<>(2);
        }
        more.add(buf);
    }

    /** Takes the oldest held buffer out ({@code null} when none is held); the caller owns it. */
    private ByteBuf takeFirst() {
        ByteBuf buf = first;
        first = more == null ? null : more.poll();
        return buf;
    }

    private void release() {
        ByteBuf buf;
        while ((buf = takeFirst()) != null) {
            buf.release();
        }
        finHeld = false;
    }
}
