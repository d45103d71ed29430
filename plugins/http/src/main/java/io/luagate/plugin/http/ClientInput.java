package io.luagate.plugin.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;

/**
 * The client connection's input buffer, between the socket and the request decoder. A socket read
 * can bring hundreds of pipelined requests, and the decoder turns all the bytes it is given into
 * messages at once; so the bytes wait here and go to the decoder a small slice at a time, each slice
 * when the session asks for more (a {@code read()}). The session asks only while nothing decoded
 * waits, so what is decoded ahead of the request being served stays within one slice (HAProxy
 * parses one request at a time from its input buffer), and the decoder's pipelining depth limit is
 * never reached. The socket itself is read only when this buffer is empty.
 *
 * <p>The client's FIN is held as well until the bytes before it are decoded: the decoder would
 * otherwise take it for the end of everything and drop what it was not given yet.
 *
 * <p>Confined to the client's event loop; owns {@link #held} until it is sliced or released.
 */
final class ClientInput extends ChannelDuplexHandler {

    /**
     * Bytes given to the decoder per slice. The shortest request a decoder accepts is 14 bytes
     * ({@code "A * HTTP/1.1\n\n"}), so one slice decodes at most 74 requests: with the one being
     * served, fewer than the 128 unanswered requests Netty's server codec allows.
     */
    static final int SLICE = 1024;

    private ChannelHandlerContext ctx;
    private ByteBuf held;
    /** The client's FIN arrived while bytes were still held. */
    private boolean finHeld;
    /** Someone downstream asked for more input. */
    private boolean readWanted;
    /** A batch of slices is being handed down: a read asked for now continues it. */
    private boolean feeding;
    private boolean feedScheduled;
    private final Runnable feedTask = this::feed;

    /** Whether bytes of the client are waiting here to be decoded. */
    boolean holding() {
        return held != null || finHeld;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (held == null) {
            held = buf;
        } else {
            // Rare: a read while bytes were still held (a read the decoder asked for before the
            // rest went down). Keep one buffer.
            ByteBuf joined = ctx.alloc().buffer(held.readableBytes() + buf.readableBytes());
            joined.writeBytes(held).writeBytes(buf);
            held.release();
            buf.release();
            held = joined;
        }
        if (!held.isReadable()) {
            held.release();
            held = null;
        }
        // The socket was read because someone asked: the first slice goes down with this read's end.
        readWanted = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (held != null && readWanted && !feeding) {
            feed();
        } else {
            ctx.fireChannelReadComplete();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!holding()) {
            ctx.read();
            return;
        }
        readWanted = true;
        if (!feeding && !feedScheduled) {
            // As a socket read would, the bytes come on a later turn of the loop: the caller may be
            // in the middle of a state change and must not get messages back inside its call.
            feedScheduled = true;
            ctx.executor().execute(feedTask);
        }
    }

    /** Hands slices down while they are asked for, then ends the batch as a socket read would. */
    private void feed() {
        feedScheduled = false;
        if (feeding) {
            return;
        }
        boolean fed = false;
        feeding = true;
        try {
            while (readWanted && held != null) {
                readWanted = false;
                ByteBuf slice = held.readRetainedSlice(Math.min(SLICE, held.readableBytes()));
                if (!held.isReadable()) {
                    held.release();
                    held = null;
                }
                fed = true;
                ctx.fireChannelRead(slice);
            }
        } finally {
            feeding = false;
        }
        if (fed) {
            ctx.fireChannelReadComplete();
        }
        if (held == null && finHeld && readWanted) {
            // Everything before the FIN is decoded and more is wanted: now the FIN.
            finHeld = false;
            readWanted = false;
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        } else if (readWanted && held != null && !feedScheduled) {
            // Asked for more while the batch ended: the next slice on the next turn.
            feedScheduled = true;
            ctx.executor().execute(feedTask);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && held != null) {
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
        ByteBuf rest = held;
        boolean fin = finHeld;
        held = null;
        finHeld = false;
        if (rest != null && ctx.channel().isActive()) {
            ctx.fireChannelRead(rest);
            ctx.fireChannelReadComplete();
        } else if (rest != null) {
            rest.release();
        }
        if (fin) {
            ctx.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        }
    }

    private void release() {
        if (held != null) {
            held.release();
            held = null;
        }
        finHeld = false;
    }
}
