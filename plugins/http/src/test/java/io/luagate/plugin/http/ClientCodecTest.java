package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/**
 * The response side of a client connection's codec: responses matched with the methods of
 * pipelined requests (the oldest kept in a field, the others queued), and the encoder's parts
 * written in order, also when a write happens between them (from a handler they pass through).
 */
class ClientCodecTest {

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
    }

    private static EmbeddedChannel channel(ChannelOutboundHandlerAdapter socketSide) {
        EmbeddedChannel channel = new EmbeddedChannel(socketSide, new ClientCodec(1024, 1024, 1024));
        channel.config().setAutoRead(false);
        return channel;
    }

    private static String wire(EmbeddedChannel channel) {
        StringBuilder wire = new StringBuilder();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            wire.append(out.toString(StandardCharsets.ISO_8859_1));
            out.release();
        }
        return wire.toString();
    }

    /** A chunked response in three writes: head, one piece, the last piece with a trailer. */
    private static void writeChunked(EmbeddedChannel channel, HttpResponseStatus status, String piece) {
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.write(head);
        channel.write(new DefaultHttpContent(bytes(piece)));
        DefaultLastHttpContent last = new DefaultLastHttpContent(bytes(piece));
        last.trailingHeaders().set("t", "1");
        channel.writeAndFlush(last);
    }

    @Test
    void pipelinedRequestsGetTheirResponsesFramedForTheirMethods() {
        EmbeddedChannel channel = channel(new ChannelOutboundHandlerAdapter());
        channel.writeInbound(bytes("GET /1 HTTP/1.1\r\n\r\nHEAD /2 HTTP/1.1\r\n\r\nHEAD /3 HTTP/1.1\r\n\r\n"
                + "GET /4 HTTP/1.1\r\n\r\n"));
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        writeChunked(channel, HttpResponseStatus.OK, "ab");
        writeChunked(channel, HttpResponseStatus.OK, "cd");
        writeChunked(channel, HttpResponseStatus.OK, "ef");
        writeChunked(channel, HttpResponseStatus.NOT_FOUND, "gh");
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nab\r\n2\r\nab\r\n0\r\nt: 1\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\ntransfer-encoding: chunked\r\n\r\n2\r\ngh\r\n2\r\ngh\r\n0\r\nt: 1\r\n\r\n",
                wire(channel));
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aWriteInsideAnotherIsFramedOnItsOwn() {
        ArrayList<ChannelFuture> inner = new ArrayList<>();
        boolean[] nest = {false};
        EmbeddedChannel channel = channel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                ctx.write(msg, promise);
                if (nest[0]) {
                    nest[0] = false;
                    // While the other parts of a body piece are still to be written: a piece from here.
                    inner.add(ctx.pipeline().write(bytes("two")));
                }
            }
        });
        channel.writeInbound(bytes("GET /1 HTTP/1.1\r\n\r\n"));
        Object in;
        while ((in = channel.readInbound()) != null) {
            ReferenceCountUtil.release(in);
        }
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        channel.write(head);
        String body = "a body piece long enough to be written apart from its chunk's size line. ".repeat(4);
        nest[0] = true;
        ChannelFuture outer = channel.write(new DefaultHttpContent(bytes(body)));
        channel.writeAndFlush(new DefaultLastHttpContent());
        assertTrue(outer.isSuccess());
        assertTrue(inner.get(0).isSuccess());
        String wire = wire(channel);
        int innerAt = wire.indexOf("3\r\ntwo\r\n");
        assertTrue(innerAt > 0, wire);
        assertEquals("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n" + Integer.toHexString(body.length()) + "\r\n"
                + body + "\r\n0\r\n\r\n", wire.substring(0, innerAt) + wire.substring(innerAt + "3\r\ntwo\r\n".length()),
                "every part of the outer write once, whole");
        assertFalse(channel.finishAndReleaseAll());
    }
}
