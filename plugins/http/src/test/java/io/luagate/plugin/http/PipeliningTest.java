package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Deep pipelining on raw sockets: every request read is answered, in order, while what waits
 * decoded in the proxy stays bounded (the client's input is read only as the queue drains, and not
 * at all while the client leaves its answers unread).
 */
class PipeliningTest {

    /** Decoded messages one slice can bring: a head and an end per request of at least 14 bytes. */
    private static final int QUEUE_BOUND = 2 * (ClientInput.SLICE / 14 + 2);

    @Test
    void threeHundredPipelinedGetsInOneWriteGetThreeHundredAnswersInOrder() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            client.send(requests(300));
            for (int i = 0; i < 300; i++) {
                assertEquals("GET /r" + i + " x-test=", client.read().body(), "answer " + i);
            }
            assertEquals(300, origin.requests.get());
            assertTrue(pendingPeak(kernel.clients.get(0)) <= QUEUE_BOUND);
        }
    }

    @Test
    void tenThousandPipelinedRequestsForAClientThatReadsLateAreAllAnsweredFromABoundedQueue() throws Exception {
        int count = 10_000;
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            String all = requests(count);
            AtomicReference<IOException> writeFailure = new AtomicReference<>();
            // The proxy stops reading once its answers are not read: the write blocks until then.
            Thread writer = new Thread(() -> {
                try {
                    client.send(all);
                } catch (IOException e) {
                    writeFailure.set(e);
                }
            }, "pipelining-writer");
            writer.start();
            Thread.sleep(3_000);
            assertTrue(origin.requests.get() < count, "the proxy stopped serving while the answers were not read: "
                    + origin.requests.get());
            for (int i = 0; i < count; i++) {
                assertEquals("GET /r" + i + " x-test=", client.read().body(), "answer " + i);
            }
            writer.join(10_000);
            assertEquals(null, writeFailure.get(), "no reset");
            assertEquals(count, origin.requests.get());
            int peak = pendingPeak(kernel.clients.get(0));
            assertTrue(peak <= QUEUE_BOUND, "decoded requests waiting at most: " + peak);
        }
    }

    @Test
    void aBodyIsReadInLargePiecesThatNeverReachIntoTheRequestsBehindIt() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            int length = 100_000;
            client.send("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: " + length + "\r\n\r\n" + "b".repeat(length)
                    + requests(300));
            assertEquals("POST /up x-test=", client.read().body());
            for (int i = 0; i < 300; i++) {
                assertEquals("GET /r" + i + " x-test=", client.read().body(), "answer " + i);
            }
            assertTrue(pendingPeak(kernel.clients.get(0)) <= QUEUE_BOUND);
        }
    }

    @Test
    void aClientThatSendsItsRequestsThenItsFinAndReadsLateGetsEveryAnswer() throws Exception {
        int count = 200;
        String padding = "p".repeat(8_192);
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address());
                RawClient client = new RawClient(kernel.port())) {
            // 1.6 MB of answers: more than the socket buffers hold, so some wait in the proxy
            // when the FIN is reached.
            origin.padding(padding.length());
            client.send(requests(count));
            client.shutdownOutput();
            Thread.sleep(1_000);
            for (int i = 0; i < count; i++) {
                assertEquals("GET /r" + i + " x-test=" + padding, client.read().body(), "answer " + i);
            }
            assertTrue(client.closedByServer(), "then the proxy closes too");
            assertEquals(count, origin.requests.get());
        }
    }

    private static String requests(int count) {
        StringBuilder all = new StringBuilder(count * 40);
        for (int i = 0; i < count; i++) {
            all.append("GET /r").append(i).append(" HTTP/1.1\r\nHost: a\r\n\r\n");
        }
        return all.toString();
    }

    private static int pendingPeak(Channel channel) throws Exception {
        return channel.eventLoop().submit(() -> channel.pipeline().get(HttpSessionHandler.class).pendingPeak()).get();
    }
}
