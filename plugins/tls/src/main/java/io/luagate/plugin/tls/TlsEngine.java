package io.luagate.plugin.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;

/**
 * {@code tls.engine}: which implementation runs the handshakes and the record layer. {@code auto}
 * takes OpenSSL (BoringSSL from netty-tcnative), measured faster, where its native library loads,
 * else the JDK's.
 */
enum TlsEngine {
    AUTO, OPENSSL, JDK;

    static TlsEngine parse(String text) {
        return switch (text) {
            case "auto" -> AUTO;
            case "openssl" -> OPENSSL;
            case "jdk" -> JDK;
            default -> throw new IllegalArgumentException("'" + text + "' is not one of auto, openssl, jdk");
        };
    }

    /** Whether the OpenSSL engine can run here. */
    static boolean openSslAvailable() {
        return OpenSsl.isAvailable();
    }

    /**
     * The Netty provider this choice runs on; {@link #OPENSSL} needs {@link #openSslAvailable()}.
     * OpenSSL runs reference-counted: its engines have no finalizer (a finalizable object per
     * connection costs the allocation and two collections), so every context is released by
     * whoever built it and every engine by its {@code SslHandler}.
     */
    SslProvider provider() {
        return switch (this) {
            case AUTO -> openSslAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK;
            case OPENSSL -> SslProvider.OPENSSL_REFCNT;
            case JDK -> SslProvider.JDK;
        };
    }
}
