package io.luagate.plugin.lua.net;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * TLS for {@code https://} URLs of {@code core.httpclient()}, as HAProxy's
 * {@code httpclient.ssl.verify} and {@code httpclient.ssl.ca-file} set it: by default the server's
 * certificate is checked against the JDK's trusted authorities (or the given CA file) and must
 * name the URL's host; {@code ssl-verify = none} checks nothing. Built once, at configuration time.
 */
public final class HttpsClientTls {

    private final SslContext context;
    private final boolean verify;

    private HttpsClientTls(SslContext context, boolean verify) {
        this.context = context;
        this.verify = verify;
    }

    /**
     * @param verify whether the server's certificate is checked
     * @param caFile PEM certificates of the authorities to trust instead of the JDK's, or {@code null}
     * @throws IllegalArgumentException with the reason when the CA file cannot be used
     */
    public static HttpsClientTls build(boolean verify, Path caFile) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
        if (!verify) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (caFile != null) {
            if (!Files.isReadable(caFile)) {
                throw new IllegalArgumentException("cannot read the CA file " + caFile);
            }
            builder.trustManager(caFile.toFile());
        }
        try {
            return new HttpsClientTls(builder.build(), verify);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use " + (caFile == null ? "the JDK's trusted authorities" : caFile)
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * The TLS handler of one connection to the URL's {@code host}: the name the certificate must
     * carry when verifying, and the SNI (the JDK sends none for an address).
     */
    SslHandler handler(ByteBufAllocator alloc, String host, int port) {
        SslHandler handler = context.newHandler(alloc, host, port);
        if (verify) {
            SSLEngine engine = handler.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        return handler;
    }
}
