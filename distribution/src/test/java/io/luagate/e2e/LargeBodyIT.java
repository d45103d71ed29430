package io.luagate.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.luagate.e2e.support.DistributionProcess;
import io.luagate.e2e.support.Http;
import io.luagate.e2e.support.InProcessProxy;
import io.luagate.e2e.support.TestClient;
import io.luagate.e2e.support.TestUpstream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 20 MiB body each way through a luagate process whose heap and direct memory are each smaller
 * than one body: it only passes if bodies are streamed, never held whole.
 */
class LargeBodyIT {

    private static final int SIZE = 20 * 1024 * 1024;

    @Test
    void twentyMebibytesEachWayWithBoundedMemory() throws Exception {
        byte[] body = new byte[SIZE];
        new Random(42).nextBytes(body);
        int port = DistributionProcess.freePort();
        try (TestUpstream echo = TestUpstream.with("echo", (request, connection, out) -> {
                 TestUpstream.respond(out, 200, Map.of(), request.body());
                 return true;
             })) {
            String config = """
                    global { threads = 2, grace = 1s }
                    log.target = none
                    frontends.fe { bind = ["127.0.0.1:%d"], default-backend = be }
                    backends.be { servers { echo = "%s" } }
                    """.formatted(port, echo.address());
            try (DistributionProcess luagate = DistributionProcess.start(InProcessProxy.distribution(),
                    Map.of("JAVA_OPTS", "-Xmx16m -XX:MaxDirectMemorySize=12m -XX:+UseSerialGC"),
                    "run", "-c", InProcessProxy.writeConfig(config).toString())) {
                luagate.awaitListening(port, Duration.ofSeconds(30));
                try (TestClient client = new TestClient(port)) {
                    // Content-Length upload.
                    client.send("POST /cl HTTP/1.1\r\nHost: t\r\nContent-Length: " + SIZE + "\r\n\r\n");
                    client.send(body);
                    Http.Message response = client.read();
                    assertEquals(200, response.status(), luagate.output());
                    assertArrayEquals(sha256(body), sha256(response.body()));

                    // Chunked upload on the same connection.
                    client.send("POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
                    OutputStream out = client.out();
                    int chunk = 100_000;
                    for (int off = 0; off < SIZE; off += chunk) {
                        int len = Math.min(chunk, SIZE - off);
                        out.write((Integer.toHexString(len) + "\r\n").getBytes());
                        out.write(body, off, len);
                        out.write("\r\n".getBytes());
                    }
                    out.write("0\r\n\r\n".getBytes());
                    out.flush();
                    Http.Message second = client.read();
                    assertEquals(200, second.status(), luagate.output());
                    assertArrayEquals(sha256(body), sha256(second.body()));
                }
                assertEquals(0, luagate.terminate(Duration.ofSeconds(20)), luagate.output());
            }
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }
}
