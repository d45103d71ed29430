package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The close after an error page on raw sockets: the page, then a FIN, while what the client still
 * sends is read and dropped for a while, so that no reset can destroy the page (RFC 9112 9.6).
 */
class LingeringCloseTest {

    @Test
    void aClientStillSendingAfterAHugeHeadReadsTheWhole431PageAndAClose() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(40_000)).getBytes(StandardCharsets.ISO_8859_1));
            AtomicInteger sent = new AtomicInteger();
            AtomicReference<IOException> sendFailure = new AtomicReference<>();
            Thread sender = new Thread(() -> {
                byte[] more = "b".repeat(1024).getBytes(StandardCharsets.ISO_8859_1);
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write(more);
                        sent.incrementAndGet();
                        Thread.sleep(10);
                    }
                } catch (IOException e) {
                    sendFailure.set(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "still-sending");
            sender.start();
            sender.join(10_000);
            assertNull(sendFailure.get(), "the proxy kept reading (no reset) for the first second");
            assertEquals(100, sent.get());
            String answer = readToEnd(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
            int body = answer.indexOf("\r\n\r\n") + 4;
            int length = Integer.parseInt(answer.replaceAll("(?s).*content-length: (\\d+).*", "$1"));
            assertEquals(length, answer.length() - body, "the whole page, then a clean end: " + answer);
            assertEquals(431, kernel.nextEnded().status);
        }
    }

    @Test
    void aClientThatClosesAfterThePageEndsTheLingerAtOnce() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            client.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(40_000));
            assertEquals(431, client.read().status());
            assertTrue(client.closedByServer(), "the FIN follows the page");
            client.shutdownOutput();
            long start = System.nanoTime();
            io.netty.channel.Channel channel = kernel.clients.get(0);
            assertTrue(channel.closeFuture().await(1_000), "closed as soon as the client closed");
            assertTrue((System.nanoTime() - start) / 1_000_000 < HttpSessionHandler.LINGER_MILLIS);
        }
    }

    @Test
    void aClientThatSaidCloseIsClosedAtOnceWithoutWaitingForItsFin() throws Exception {
        assertClosedAtOnce("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "HTTP/1.1 200 ");
    }

    @Test
    void anHttp10ClientWithoutKeepAliveIsClosedAtOnce() throws Exception {
        assertClosedAtOnce("GET / HTTP/1.0\r\nHost: a\r\n\r\n", "HTTP/1.1 200 ");
    }

    /**
     * The client announced its request as its last and keeps its own side open: the proxy closes
     * as soon as the answer is out (a FIN, the whole answer before it, no reset), as HAProxy does,
     * instead of waiting for the client's FIN as a lingering close does.
     */
    private static void assertClosedAtOnce(String request, String statusLine) throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                Socket socket = new Socket("127.0.0.1", kernel.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String answer = readToEnd(socket.getInputStream());
            assertTrue(answer.startsWith(statusLine), answer);
            assertTrue(answer.endsWith("GET / x-test="), "the whole answer, then a clean end: " + answer);
            io.netty.channel.Channel channel = kernel.clients.get(0);
            assertTrue(channel.closeFuture().await(HttpSessionHandler.LINGER_MILLIS / 4),
                    "closed without the client's FIN (the client's side is still open)");
        }
    }

    /** Reads until the FIN; a reset instead fails the read. */
    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
