package io.luagate.plugin.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.health.CheckResult;
import io.luagate.spi.health.CheckStatus;
import io.luagate.spi.health.HttpCheck;
import io.luagate.spi.health.HttpCheckExpect;
import io.luagate.spi.health.Observe;
import io.luagate.spi.health.OnError;
import io.luagate.spi.health.ServerCheckSettings;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks against real sockets on 127.0.0.1, on a real event loop. */
class CheckProbeTest {

    private static MultiThreadIoEventLoopGroup group;
    private static EventLoop loop;

    @BeforeAll
    static void loop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop = group.next();
    }

    @AfterAll
    static void shutdown() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    private static ServerCheckSettings settings(long inter, long checkTimeout, HttpCheck http) {
        return new ServerCheckSettings(true, inter, inter, inter, 2, 3, 0, null, Observe.NONE, 10, OnError.FASTINTER,
                http, checkTimeout, 5000);
    }

    private static CheckResult run(int port, ServerCheckSettings settings) throws Exception {
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        HttpCheckRequest request = settings.http() == null ? null : new HttpCheckRequest(settings.http());
        ExpectRules rules = settings.http() == null ? null : new ExpectRules(settings.http().expects());
        loop.execute(() -> CheckProbe.run(loop, NioSocketChannel.class, new InetSocketAddress("127.0.0.1", port),
                settings, request, rules, result::complete));
        return result.get(10, TimeUnit.SECONDS);
    }

    /** A server that answers each connection with what {@code answer} makes of the request head. */
    private static final class Answering implements AutoCloseable {
        final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        final List<String> requests = new CopyOnWriteArrayList<>();

        Answering(Function<String, String> answer) throws IOException {
            Thread.ofPlatform().daemon().start(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        InputStream in = s.getInputStream();
                        StringBuilder head = new StringBuilder();
                        while (!head.toString().endsWith("\r\n\r\n")) {
                            int b = in.read();
                            if (b < 0) {
                                break;
                            }
                            head.append((char) b);
                        }
                        requests.add(head.toString());
                        String reply = answer.apply(head.toString());
                        if (reply != null) {
                            OutputStream out = s.getOutputStream();
                            out.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                        } else {
                            Thread.sleep(3000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // next connection, or closed
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void tcpConnectPassesAsL4ok() throws Exception {
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult result = run(open.getLocalPort(), settings(2000, 0, null));
            assertEquals(CheckStatus.L4OK, result.status());
            assertTrue(result.durationMillis() >= 0 && result.durationMillis() < 2000);
        }
    }

    @Test
    void aRefusedConnectIsL4conWithTheSystemsWords() throws Exception {
        CheckResult result = run(closedPort(), settings(2000, 0, null));
        assertEquals(CheckStatus.L4CON, result.status());
        assertEquals("Connection refused", result.info());
    }

    @Test
    void epollsErrnoIsToldInTheSystemsWords() {
        assertEquals("Connection refused", CheckProbe.reason(new java.net.ConnectException("finishConnect(..) failed with error(-111)")));
        assertEquals("No route to host", CheckProbe.reason(new java.net.ConnectException("connect(..) failed with error(-113)")));
        assertEquals("Connection refused", CheckProbe.reason(new java.net.ConnectException("Connection refused: /127.0.0.1:9")));
    }

    @Test
    void httpCheckSendsTheRequestAndJudgesTheStatus() throws Exception {
        HttpCheck http = new HttpCheck("GET", "/health", "HTTP/1.1", List.of(java.util.Map.entry("Host", "example.com")),
                "", List.of(new HttpCheckExpect(HttpCheckExpect.Kind.STATUS, false, "200", "t:1")));
        try (Answering ok = new Answering(h -> "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
             Answering broken = new Answering(h -> "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n")) {
            CheckResult passed = run(ok.port(), settings(2000, 0, http));
            assertEquals(CheckStatus.L7OK, passed.status());
            assertEquals(200, passed.code());
            assertEquals("GET /health HTTP/1.1\r\nhost: example.com\r\nconnection: close\r\n\r\n", ok.requests.get(0));
            CheckResult failed = run(broken.port(), settings(2000, 0, http));
            assertEquals(new CheckResult(CheckStatus.L7STS, 500, "Internal Server Error", failed.durationMillis()), failed);
        }
    }

    @Test
    void aStringRuleWaitsForTheBodyUntilTheClose() throws Exception {
        HttpCheck http = new HttpCheck("GET", "/", "HTTP/1.0", List.of(), "",
                List.of(new HttpCheckExpect(HttpCheckExpect.Kind.STRING, false, "ready", "t:1")));
        try (Answering ok = new Answering(h -> "HTTP/1.0 200 OK\r\n\r\nsystem ready");
             Answering not = new Answering(h -> "HTTP/1.0 200 OK\r\n\r\nstarting")) {
            assertEquals(CheckStatus.L7OK, run(ok.port(), settings(2000, 0, http)).status());
            CheckResult miss = run(not.port(), settings(2000, 0, http));
            assertEquals(CheckStatus.L7RSP, miss.status());
            assertEquals("HTTP content check did not match", miss.info());
        }
    }

    @Test
    void aSilentServerTimesOutWithinTimeoutCheckOrInter() throws Exception {
        HttpCheck http = new HttpCheck("GET", "/", "HTTP/1.0", List.of(), "", List.of());
        try (Answering silent = new Answering(h -> null)) {
            long start = System.nanoTime();
            CheckResult result = run(silent.port(), settings(5000, 300, http));
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(CheckStatus.L7TOUT, result.status());
            assertTrue(took >= 250 && took < 2000, "timeout.check bounds the response: " + took);
            start = System.nanoTime();
            assertEquals(CheckStatus.L7TOUT, run(silent.port(), settings(400, 0, http)).status());
            took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took >= 350 && took < 2000, "without it, inter bounds the check: " + took);
        }
    }

    @Test
    void aServerClosingWithoutAnAnswerIsL7rsp() throws Exception {
        HttpCheck http = new HttpCheck("GET", "/", "HTTP/1.0", List.of(), "", List.of());
        try (Answering mute = new Answering(h -> "")) {
            CheckResult result = run(mute.port(), settings(2000, 0, http));
            assertEquals(CheckStatus.L7RSP, result.status());
            assertEquals("", result.info(), "HAProxy 2.6: \"Layer7 invalid response\", no info");
        }
    }
}
