package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.e2e.support.InProcessProxy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mode tcp: bytes both ways, half-close carried across, idle timeout. */
class TcpIT {

    @TempDir
    Path dir;

    /** Reads until the client half-closes, then answers and closes: needs half-close to work. */
    private static ServerSocket startHalfCloseEcho(AtomicInteger connections) throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    byte[] request = socket.getInputStream().readAllBytes();
                    OutputStream out = socket.getOutputStream();
                    out.write(("echo:" + new String(request, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (Exception e) {
                    // closed
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    @Test
    void bytesBothWaysWithHalfClose() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket echo = startHalfCloseEcho(connections);
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], mode = tcp, default-backend = be }
                     backends.be { mode = tcp, servers { s = "127.0.0.1:%d" } }
                     """.formatted(echo.getLocalPort()))) {
            for (int i = 0; i < 3; i++) {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", proxy.port("fe")));
                    client.setSoTimeout(10_000);
                    client.getOutputStream().write(("hello " + i).getBytes(StandardCharsets.UTF_8));
                    client.shutdownOutput();
                    InputStream in = client.getInputStream();
                    assertEquals("echo:hello " + i, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(3, connections.get());
        }
    }

    @Test
    void contentRulesInspectTheFirstBytes() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket echo = startHalfCloseEcho(connections);
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe {
                       bind = ["127.0.0.1:0"], mode = tcp, default-backend = be
                       tcp-request = [ "inspect-delay 5s",
                                       "content set-var(sess.len) req.len",
                                       "content accept if { req.payload(0,4) -m bin 48454c4f }",
                                       "content reject if { req.len ge 4 }" ]
                     }
                     backends.be { mode = tcp, servers { s = "127.0.0.1:%d" } }
                     """.formatted(echo.getLocalPort()))) {
            try (Socket hello = new Socket("127.0.0.1", proxy.port("fe"))) {
                hello.setSoTimeout(10_000);
                hello.getOutputStream().write("HE".getBytes(StandardCharsets.UTF_8));
                Thread.sleep(200);
                hello.getOutputStream().write("LO world".getBytes(StandardCharsets.UTF_8));
                hello.shutdownOutput();
                assertEquals("echo:HELO world", new String(hello.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                        "accepted once the 4 bytes arrived, and every inspected byte forwarded");
            }
            try (Socket nope = new Socket("127.0.0.1", proxy.port("fe"))) {
                nope.setSoTimeout(10_000);
                nope.getOutputStream().write("NOPE".getBytes(StandardCharsets.UTF_8));
                assertEquals(-1, nope.getInputStream().read(), "rejected");
            }
            long start = System.nanoTime();
            try (Socket silent = new Socket("127.0.0.1", proxy.port("fe"))) {
                silent.setSoTimeout(10_000);
                // Nothing decides before inspect-delay; then no rule matches and the connection goes through.
                silent.shutdownOutput();
                assertEquals("echo:", new String(silent.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            assertEquals(2, connections.get(), "the rejected connection never reached the server");
            assertEquals(true, (System.nanoTime() - start) / 1_000_000 < 4000, "a FIN ends the inspection early");
        }
    }

    @Test
    void undecidedRulesWaitForDataAndRulesWithoutDataDecideAtOnce() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket echo = startHalfCloseEcho(connections);
             ServerSocket banner = new ServerSocket(0, 10, java.net.InetAddress.getLoopbackAddress());
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.get {
                       bind = ["127.0.0.1:0"], mode = tcp, default-backend = echo
                       tcp-request = [ "inspect-delay 5s", "content reject unless { req.payload(0,4) -m bin 47455420 }" ]
                     }
                     frontends.smtp {
                       bind = ["127.0.0.1:0"], mode = tcp, default-backend = banner
                       tcp-request = [ "inspect-delay 5s", "content reject if { src 10.0.0.0/8 }" ]
                     }
                     backends.echo { mode = tcp, servers { s = "127.0.0.1:%d" } }
                     backends.banner { mode = tcp, servers { s = "127.0.0.1:%d" } }
                     """.formatted(echo.getLocalPort(), banner.getLocalPort()))) {
            Thread bannerThread = new Thread(() -> {
                try (Socket s = banner.accept()) {
                    s.getOutputStream().write("220 ready\r\n".getBytes(StandardCharsets.UTF_8));
                    s.getInputStream().read();
                } catch (Exception e) {
                    // closed
                }
            });
            bannerThread.setDaemon(true);
            bannerThread.start();
            try (Socket get = new Socket("127.0.0.1", proxy.port("get"))) {
                get.setSoTimeout(10_000);
                get.getOutputStream().write("GE".getBytes(StandardCharsets.UTF_8));
                Thread.sleep(300);
                get.getOutputStream().write("T /".getBytes(StandardCharsets.UTF_8));
                get.shutdownOutput();
                assertEquals("echo:GET /", new String(get.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                        "the rule waited for 4 bytes instead of rejecting on 2");
            }
            long start = System.nanoTime();
            try (Socket smtp = new Socket("127.0.0.1", proxy.port("smtp"))) {
                smtp.setSoTimeout(10_000);
                byte[] greeting = smtp.getInputStream().readNBytes(11);
                assertEquals("220 ready\r\n", new String(greeting, StandardCharsets.UTF_8));
            }
            assertEquals(true, (System.nanoTime() - start) / 1_000_000 < 2000,
                    "rules that need no data decide at accept: the server's greeting is not delayed");
        }
    }

    @Test
    void idleTunnelIsClosedAfterTimeoutTunnel() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket echo = startHalfCloseEcho(connections);
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = none
                     frontends.fe { bind = ["127.0.0.1:0"], mode = tcp, default-backend = be }
                     backends.be { mode = tcp, timeout.tunnel = 300ms, servers { s = "127.0.0.1:%d" } }
                     """.formatted(echo.getLocalPort()));
             Socket client = new Socket()) {
            client.connect(new InetSocketAddress("127.0.0.1", proxy.port("fe")));
            client.setSoTimeout(5_000);
            long start = System.nanoTime();
            assertEquals(-1, client.getInputStream().read(), "the proxy closes an idle tunnel");
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(true, tookMs >= 250 && tookMs < 4000, "took " + tookMs + " ms");
        }
    }

    /**
     * The server ends its output first: its FIN reaches the client, and what the client sends after
     * it still reaches the server, whose connection ends when the client's side does. Each way of
     * ending the client's side is logged as HAProxy does: a FIN (half-close or close) as a normal
     * end, a reset as a client abort.
     */
    @Test
    void theServerEndingFirstStillHearsTheClientAndEachEndIsLoggedAsItWas() throws Exception {
        Path log = dir.resolve("tcp.log");
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             InProcessProxy proxy = InProcessProxy.start("""
                     log.target = "%s"
                     frontends.fe { bind = ["127.0.0.1:0"], mode = tcp, default-backend = be, log-format = "%%ts" }
                     backends.be { mode = tcp, servers { s = "127.0.0.1:%d" } }
                     """.formatted(log, server.getLocalPort()))) {
            String[] ends = {"half-close", "close", "reset"};
            for (int i = 0; i < ends.length; i++) {
                String late = "late " + i;
                CompletableFuture<String> heard = new CompletableFuture<>();
                CompletableFuture<Boolean> serverSawEnd = new CompletableFuture<>();
                Thread serverSide = new Thread(() -> {
                    try (Socket socket = server.accept()) {
                        socket.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
                        socket.shutdownOutput();
                        InputStream in = socket.getInputStream();
                        heard.complete(new String(in.readNBytes(late.length()), StandardCharsets.UTF_8));
                        serverSawEnd.complete(in.read() == -1);
                    } catch (IOException e) {
                        heard.complete("error: " + e);
                        serverSawEnd.complete(false);
                    }
                });
                serverSide.start();
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress("127.0.0.1", proxy.port("fe")));
                    client.setSoTimeout(10_000);
                    assertEquals("bye", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                            "the server's FIN is passed on");
                    client.getOutputStream().write(late.getBytes(StandardCharsets.UTF_8));
                    assertEquals(late, heard.get(10, TimeUnit.SECONDS), "bytes sent after the server's FIN reach it");
                    switch (ends[i]) {
                        case "half-close" -> client.shutdownOutput();
                        case "reset" -> client.setSoLinger(true, 0);
                        default -> { }
                    }
                }
                if (!ends[i].equals("reset")) {
                    assertTrue(serverSawEnd.get(10, TimeUnit.SECONDS), ends[i] + ": the client's FIN reaches the server");
                }
                serverSide.join(10_000);
                assertEquals(i + 1, awaitLines(log, i + 1).length, "one log line per connection");
            }
            String[] lines = awaitLines(log, ends.length);
            assertEquals("--", lines[0].strip(), "a client's half-close after the server's: a normal end");
            assertEquals("--", lines[1].strip(), "a client's close after the server's FIN: a normal end");
            assertEquals("CD", lines[2].strip(), "a client's reset after the server's FIN: a client abort");
        }
    }

    private static String[] awaitLines(Path log, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String[] lines = new String[0];
        while (System.nanoTime() < deadline) {
            if (Files.exists(log)) {
                String text = Files.readString(log);
                lines = text.isEmpty() ? new String[0] : text.split("\n");
                if (lines.length >= count) {
                    return lines;
                }
            }
            Thread.sleep(50);
        }
        return lines;
    }
}
