package io.luagate.plugin.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.tls.TlsBindContext;
import io.luagate.spi.tls.TlsListener;
import io.luagate.spi.tls.TlsOrigin;
import io.luagate.spi.tls.TlsOriginContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS toward servers over real sockets on 127.0.0.1, on both engines: the origin is a TLS bind of
 * the same plugin, answering each line with what its handshake saw ({@code sni|protocol|cipher|alpn|client}).
 */
class OriginTlsTest {

    @TempDir
    static Path dir;
    @TempDir
    static Path otherDir;
    static Pki pki;
    static Pki otherPki;
    static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @BeforeAll
    static void certificates() throws Exception {
        pki = new Pki(dir);
        otherPki = new Pki(otherDir);
        pki.server("origin.pem", "api.example.com", 30, "api.example.com", "www.example.com");
        pki.client("client.pem", "/C=DE/O=Client Inc/CN=luagate", "0A0B");
    }

    @AfterAll
    static void stop() {
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static Map<String, Object> keys(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static TlsServer origin(Map<String, Object> keys) {
        TlsExtension extension = new TlsExtension();
        MapSection section = new MapSection(keys);
        TlsListener listener = extension.bind(section, new TlsBindContext("origin", dir, List.of(), 2000));
        assertEquals(List.of(), section.problems);
        return new TlsServer(listener);
    }

    private static TlsOrigin compile(TlsEngine engine, Map<String, Object> keys, List<String> codecProtocols) {
        return compile(engine, keys, codecProtocols, new InetSocketAddress("127.0.0.1", 443));
    }

    private static TlsOrigin compile(TlsEngine engine, Map<String, Object> keys, List<String> codecProtocols,
                                     InetSocketAddress address) {
        if (engine == TlsEngine.OPENSSL) {
            Assumptions.assumeTrue(TlsEngine.openSslAvailable(), "netty-tcnative does not load here");
        }
        TlsExtension extension = new TlsExtension();
        extension.engine(engine);
        MapSection section = new MapSection(keys);
        TlsOrigin origin = extension.origin(section, context(address, codecProtocols));
        assertEquals(List.of(), section.problems);
        assertNotNull(origin);
        return origin;
    }

    private static TlsOriginContext context(InetSocketAddress address, List<String> codecProtocols) {
        return new TlsOriginContext("app", "a", address, dir, codecProtocols, 2000);
    }

    private static List<String> problems(Map<String, Object> keys) {
        MapSection section = new MapSection(keys);
        assertNull(new TlsExtension().origin(section, context(new InetSocketAddress("127.0.0.1", 443), List.of())));
        return section.problems;
    }

    /** What one connection through {@code origin} gave: the origin's answer line, or the handshake's failure. */
    private record Outcome(String answer, Throwable failure) {
    }

    /** Connects as the kernel does (auto-read off, handlers installed at registration), handshakes, asks one line. */
    private static Outcome exchange(TlsOrigin origin, InetSocketAddress server, String sni) throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        StringBuilder line = new StringBuilder();
        Channel channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ByteBuf buf = (ByteBuf) msg;
                                line.append(buf.toString(StandardCharsets.US_ASCII));
                                buf.release();
                                if (line.indexOf("\n") >= 0) {
                                    answer.complete(line.toString().trim());
                                } else {
                                    ctx.read();
                                }
                            }

                            @Override
                            public void channelInactive(ChannelHandlerContext ctx) {
                                answer.completeExceptionally(new IllegalStateException("closed before an answer"));
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                answer.completeExceptionally(cause);
                            }
                        });
                    }
                })
                .connect(server).syncUninterruptibly().channel();
        try {
            CompletableFuture<Future<Channel>> started = new CompletableFuture<>();
            channel.eventLoop().execute(() -> started.complete(origin.handshake(channel, sni)));
            Future<Channel> handshake = started.get(5, TimeUnit.SECONDS);
            handshake.await(5, TimeUnit.SECONDS);
            if (!handshake.isSuccess()) {
                assertTrue(channel.closeFuture().await(2, TimeUnit.SECONDS), "a failed handshake closes its connection");
                return new Outcome(null, handshake.cause());
            }
            channel.writeAndFlush(Unpooled.copiedBuffer("hello\n", StandardCharsets.US_ASCII));
            channel.read();
            try {
                return new Outcome(answer.get(5, TimeUnit.SECONDS), null);
            } catch (java.util.concurrent.ExecutionException e) {
                // TLS 1.3: the server refuses a client certificate after the client's handshake ended.
                return new Outcome(null, e.getCause());
            }
        } finally {
            channel.close().syncUninterruptibly();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void verifiesByDefaultAndSendsTheSni(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin origin = compile(engine, keys("ca-file", "ca.pem"), List.of());
            Outcome ok = exchange(origin, server.address(), "api.example.com");
            assertNull(ok.failure());
            assertTrue(ok.answer().startsWith("api.example.com|TLSv1.3|"), ok.answer());
            assertTrue(ok.answer().endsWith("|null|null"), "no ALPN, no client certificate: " + ok.answer());
            // The other name of the certificate: another SNI, also verified.
            assertTrue(exchange(origin, server.address(), "www.example.com").answer().startsWith("www.example.com|"));
            origin.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void aNameTheCertificateDoesNotHoldFailsTheHandshake(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin origin = compile(engine, keys("ca-file", "ca.pem"), List.of());
            assertNotNull(exchange(origin, server.address(), "evil.example.com").failure());
            // No sni and no verifyhost: HAProxy checks the chain only, no name.
            assertNull(exchange(origin, server.address(), null).failure());
            origin.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void anotherCaFailsTheHandshake(TlsEngine engine) throws Exception {
        Files.copy(otherPki.ca(), dir.resolve("other-ca-" + engine + ".pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin origin = compile(engine, keys("verify", "required", "ca-file", "other-ca-" + engine + ".pem"), List.of());
            Outcome outcome = exchange(origin, server.address(), "api.example.com");
            assertNotNull(outcome.failure());
            origin.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void verifyNoneAcceptsAnyCertificateAndSendsNoSniWithoutOne(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin origin = compile(engine, keys("verify", "none"), List.of());
            Outcome outcome = exchange(origin, server.address(), null);
            assertNull(outcome.failure());
            assertTrue(outcome.answer().startsWith("null|"), outcome.answer());
            origin.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void presentsTheClientCertificateAndOffersAlpn(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem", "verify", "required", "ca-file", "ca.pem",
                "alpn", List.of("h2", "http/1.1")))) {
            TlsOrigin without = compile(engine, keys("ca-file", "ca.pem"), List.of());
            Outcome refused = exchange(without, server.address(), "api.example.com");
            assertNotNull(refused.failure(), "the origin requires a client certificate: " + refused.answer());
            without.close();
            // A codec that speaks only http/1.1 to servers: h2 is left out of what is offered.
            TlsOrigin with = compile(engine, keys("ca-file", "ca.pem", "crt", "client.pem",
                    "alpn", List.of("h2", "http/1.1")), List.of("http/1.1"));
            Outcome outcome = exchange(with, server.address(), "api.example.com");
            assertNull(outcome.failure());
            assertTrue(outcome.answer().endsWith("|http/1.1|CN=luagate,O=Client Inc,C=DE"), outcome.answer());
            with.close();
        }
    }

    @Test
    void aSilentServerTimesTheHandshakeOutAsAConnectTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            TlsOrigin origin = compile(TlsEngine.JDK, keys("verify", "none"), List.of());
            long start = System.nanoTime();
            Outcome outcome = exchange(origin, (InetSocketAddress) silent.getLocalSocketAddress(), "api.example.com");
            // The kernel maps it to a connect timeout (sC), as HAProxy counts the handshake in timeout connect.
            assertTrue(outcome.failure() instanceof io.netty.channel.ConnectTimeoutException, String.valueOf(outcome.failure()));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1900), "the context's 2 s");
            origin.close();
        }
    }

    @Test
    void modeTcpOffersAlpnAsWritten() throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem", "alpn", List.of("h2", "http/1.1")))) {
            TlsOrigin origin = compile(TlsEngine.JDK, keys("ca-file", "ca.pem", "alpn", List.of("h2", "http/1.1")), List.of());
            assertTrue(exchange(origin, server.address(), "api.example.com").answer().endsWith("|h2|null"));
            origin.close();
        }
    }

    @Test
    void badKeysAreNamed() throws Exception {
        // An expired client certificate: issued with a negative validity.
        Path old = pki.server("old.pem", "old.test", -1, "old.test");
        Path mismatched = pki.mismatched("mismatched.pem");
        assertEquals(List.of("verify: 'optional' is not one of none, required"), problems(keys("verify", "optional")));
        assertEquals(List.of("ca-file: " + dir.resolve("missing.pem") + ": no such file or directory"),
                problems(keys("ca-file", "missing.pem")));
        assertEquals(List.of("ca-file: " + dir.resolve("empty.pem") + ": holds no certificate"),
                problemsWithEmptyCa());
        assertEquals(List.of("crt: " + dir.resolve("nope.pem") + ": no such file or directory"), problems(keys("crt", "nope.pem")));
        assertTrue(problems(keys("crt", "old.pem")).get(0).startsWith("crt: " + old + ": its certificate (CN=old.test) expired on "));
        assertEquals(List.of("crt: " + mismatched + ": its private key does not match its certificate (CN=a.test)"),
                problems(keys("crt", "mismatched.pem")));
    }

    private static List<String> problemsWithEmptyCa() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        return problems(keys("ca-file", "empty.pem"));
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void aServerWrittenByHostNameGetsNoSniWithoutOne(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            // OpenSSL sends any host name its engine is opened on: the address written must not become an SNI.
            TlsOrigin origin = compile(engine, keys("verify", "none"), List.of(),
                    new InetSocketAddress("localhost", server.address().getPort()));
            Outcome outcome = exchange(origin, server.address(), null);
            assertNull(outcome.failure());
            assertTrue(outcome.answer().startsWith("null|"), outcome.answer());
            origin.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void verifyhostIsCheckedWhenNoSniIsSent(TlsEngine engine) throws Exception {
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin good = compile(engine, keys("ca-file", "ca.pem", "verifyhost", "WWW.example.com"), List.of());
            Outcome outcome = exchange(good, server.address(), null);
            assertNull(outcome.failure());
            assertTrue(outcome.answer().startsWith("null|"), "verifyhost is not sent: " + outcome.answer());
            good.close();
            TlsOrigin wrong = compile(engine, keys("ca-file", "ca.pem", "verifyhost", "evil.example.com"), List.of());
            assertNotNull(exchange(wrong, server.address(), null).failure());
            // An SNI is what is checked when one is sent, as in HAProxy.
            assertNull(exchange(wrong, server.address(), "api.example.com").failure());
            wrong.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TlsEngine.class, names = {"JDK", "OPENSSL"})
    void versionsCiphersAndRevocationTowardServers(TlsEngine engine) throws Exception {
        pki.crl("revokes-origin-" + engine + ".crl", "1234AB");
        pki.crl("revokes-other-" + engine + ".crl", "0BAD");
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            TlsOrigin old = compile(engine, keys("ca-file", "ca.pem", "ssl-max-ver", "TLSv1.2",
                    "ciphers", "ECDHE-ECDSA-AES128-GCM-SHA256"), List.of());
            Outcome twelve = exchange(old, server.address(), "api.example.com");
            old.close();
            assertTrue(String.valueOf(twelve.answer()).startsWith("api.example.com|TLSv1.2|ECDHE-ECDSA-AES128-GCM-SHA256|"),
                    twelve.answer() + " " + twelve.failure());
            TlsOrigin modern = compile(engine, keys("ca-file", "ca.pem", "ssl-min-ver", "TLSv1.3",
                    "ciphersuites", "TLS_CHACHA20_POLY1305_SHA256"), List.of());
            Outcome chacha = exchange(modern, server.address(), "api.example.com");
            modern.close();
            // BoringSSL offers its own TLS 1.3 suites whatever it is told (the README says so).
            String suite = engine == TlsEngine.JDK ? "TLS_CHACHA20_POLY1305_SHA256|" : "TLS_";
            assertTrue(String.valueOf(chacha.answer()).startsWith("api.example.com|TLSv1.3|" + suite),
                    chacha.answer() + " " + chacha.failure());
            TlsOrigin revoked = compile(engine, keys("ca-file", "ca.pem", "crl-file", "revokes-origin-" + engine + ".crl"), List.of());
            assertNotNull(exchange(revoked, server.address(), "api.example.com").failure());
            revoked.close();
            TlsOrigin fine = compile(engine, keys("ca-file", "ca.pem", "crl-file", "revokes-other-" + engine + ".crl"), List.of());
            assertNull(exchange(fine, server.address(), "api.example.com").failure());
            fine.close();
        }
    }

    @Test
    void closeReleasesTheNativeContext() throws Exception {
        TlsOrigin origin = compile(TlsEngine.OPENSSL, keys("verify", "none"), List.of());
        io.netty.util.ReferenceCounted context = (io.netty.util.ReferenceCounted) ((ConnectingOrigin) origin).context();
        try (TlsServer server = origin(keys("crt", "origin.pem"))) {
            assertNull(exchange(origin, server.address(), null).failure());
        }
        origin.close();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (context.refCnt() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, context.refCnt(), "the connection's engine and the origin both let go of it");
    }
}
