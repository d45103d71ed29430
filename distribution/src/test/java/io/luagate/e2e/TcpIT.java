package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.InProcessProxy;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** mode tcp: bytes both ways, half-close carried across, idle timeout. */
class TcpIT {

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
}
