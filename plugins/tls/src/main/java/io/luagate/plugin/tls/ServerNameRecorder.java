package io.luagate.plugin.tls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.buffer.ByteBufAllocator;

/**
 * Reads the ClientHello's server name, chooses the certificate by it, and puts the TLS handler in
 * its own place; keeps the name for {@code ssl_fc_sni}.
 */
final class ServerNameRecorder extends SniHandler {

    private final long handshakeTimeoutMillis;
    private volatile String hostname;

    ServerNameRecorder(CertificateSelector selector, long handshakeTimeoutMillis) {
        // The ClientHello must arrive within the same time as the whole handshake.
        super(selector, MAX_CLIENT_HELLO, handshakeTimeoutMillis);
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    /** The largest ClientHello read, as OpenSSL's limit for a handshake message it buffers. */
    private static final int MAX_CLIENT_HELLO = 16 * 1024;

    @Override
    protected void replaceHandler(ChannelHandlerContext ctx, String name, SslContext context) throws Exception {
        this.hostname = name;
        super.replaceHandler(ctx, name, context);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler handler = super.newSslHandler(context, allocator);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /** The server name the client sent, or {@code null}. */
    @Override
    public String hostname() {
        return hostname;
    }
}
