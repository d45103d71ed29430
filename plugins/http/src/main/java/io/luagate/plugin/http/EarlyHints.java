package io.luagate.plugin.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;

/**
 * The {@code 103 Early Hints} interim response that {@code http-request early-hint} rules build, a
 * header per rule; the rule that closes the group sends it, written past the response encoder (which
 * would pair it with the request as its final response). HAProxy's bytes: {@code HTTP/1.1 103
 * Early Hints}, header names in lower case.
 */
final class EarlyHints {

    private static final String STATUS_LINE = "HTTP/1.1 103 Early Hints\r\n";

    private StringBuilder pending;

    void add(ChannelHandlerContext client, String name, String value, boolean last) {
        if (pending == null) {
            pending = new StringBuilder(STATUS_LINE.length() + 64).append(STATUS_LINE);
        }
        pending.append(name).append(": ").append(value).append("\r\n");
        if (last) {
            pending.append("\r\n");
            ChannelHandlerContext beforeCodec = ClientPipeline.pastEncoder(client.pipeline());
            beforeCodec.writeAndFlush(Unpooled.copiedBuffer(pending, StandardCharsets.ISO_8859_1), beforeCodec.voidPromise());
            pending = null;
        }
    }
}
