package io.luagate.plugin.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an HTTP/1.1 connection waiting for its next request keeps of its timers: the request timer
 * alone (the client and server timers of the exchange go, and are made again by the next one), on
 * a real proxy loop with real sockets.
 */
class IdleConnectionTimersTest {

    private static int loopTimers(FakeKernel kernel) throws Exception {
        return kernel.loop().submit(() -> LoopTimers.of(kernel.loop()).size()).get();
    }

    /** The loop's queued timers, once they settle at {@code expected} within a second (else the last count). */
    private static int settledAt(FakeKernel kernel, int expected) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        int size = loopTimers(kernel);
        while (size != expected && System.nanoTime() - until < 0) {
            Thread.sleep(10);
            size = loopTimers(kernel);
        }
        return size;
    }

    @Test
    void aConnectionIdleAfterARequestHoldsItsKeepAliveTimerAloneAndTheNextExchangeIsTimedAgain() throws Exception {
        try (Origin origin = new Origin(); FakeKernel kernel = new FakeKernel(origin.address())) {
            kernel.frontend.clientTimeout = 300;
            try (RawClient client = new RawClient(kernel.port())) {
                client.send("GET /a HTTP/1.1\r\nhost: x\r\n\r\n");
                assertEquals(200, client.read().status());
                assertEquals(1, settledAt(kernel, 1), "the keep-alive wait's request timer only");

                client.send("GET /b HTTP/1.1\r\nhost: x\r\n\r\n");
                assertEquals(200, client.read().status());
                assertEquals(1, settledAt(kernel, 1));

                // A third request whose body stops short: timeout.client (300 ms, against 5 s for the
                // request and keep-alive timeouts) still ends it, on a client timer made anew.
                long start = System.nanoTime();
                client.send("POST /c HTTP/1.1\r\nhost: x\r\ncontent-length: 10\r\n\r\nabc");
                assertTrue(client.closedByServer(), "closed by timeout.client");
                long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(tookMillis >= 250 && tookMillis < 3_000, "closed after " + tookMillis + " ms");
            }
            assertEquals(0, settledAt(kernel, 0), "a closed connection leaves no timer behind");
        }
    }
}
