package io.luagate.plugin.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.service.TcpService;
import io.luagate.spi.service.TcpServiceExchange;
import io.luagate.spi.stream.TerminationCause;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tcp-request content rules that suspend, and TCP services, through the real codec on real sockets. */
class TcpRulesAndServicesTest {

    private FakeTcpKernel kernel;

    @BeforeEach
    void start() {
        kernel = new FakeTcpKernel();
    }

    @AfterEach
    void stop() {
        kernel.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", kernel.port());
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void send(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    private static String readToEnd(Socket socket) throws IOException {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static String read(Socket socket, int n) throws IOException {
        return new String(socket.getInputStream().readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    private static boolean closedByServer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** Echoes what it receives (held bytes first), with a prefix, and closes after the client's FIN. */
    private static final TcpService ECHO = exchange -> {
        exchange.write("echo:".getBytes(StandardCharsets.ISO_8859_1));
        exchange.receive(new TcpServiceExchange.Receiver() {
            @Override
            public void data(byte[] bytes) {
                exchange.write(bytes);
            }

            @Override
            public void end() {
                exchange.write(":bye".getBytes(StandardCharsets.ISO_8859_1));
                exchange.close();
            }
        });
    };

    /** Waits for at least {@code n} inspected bytes, then serves with {@code service}. */
    private static Action serveAfter(int n, TcpService service) {
        return txn -> {
            byte[] data = txn.requestBody();
            if (data == null || data.length < n) {
                txn.markMayChange();
                return Verdict.WAIT;
            }
            txn.serve(service);
            return Verdict.STOP;
        };
    }

    private static Action resumeLater(Verdict verdict, long millis, AtomicInteger calls) {
        return txn -> {
            calls.incrementAndGet();
            Suspension suspension = txn.suspend();
            loopOf(txn).schedule(() -> suspension.resume(verdict), millis, TimeUnit.MILLISECONDS);
            return Verdict.PENDING;
        };
    }

    private static io.netty.channel.EventLoop loopOf(Transaction txn) {
        return txn.stream().session().channel().eventLoop();
    }

    @Test
    void aServiceGetsTheInspectedBytesFirstThenEverythingElse() throws Exception {
        kernel.inspectDelay = 2_000;
        kernel.rules.add(serveAfter(5, ECHO));
        try (Socket socket = connect()) {
            send(socket, "hel");
            Thread.sleep(50);
            send(socket, "lo");
            assertEquals("echo:hello", read(socket, 10));
            send(socket, " world");
            assertEquals(" world", read(socket, 6));
            socket.shutdownOutput();
            assertEquals(":bye", readToEnd(socket));
        }
        FakeTcpKernel.FakeStream stream = kernel.nextEnded();
        assertEquals("--", stream.termination());
        assertEquals(11, stream.bytesIn);
        assertEquals(20, stream.bytesOut);
    }

    @Test
    void aServiceCanPauseReading() throws Exception {
        AtomicReference<TcpServiceExchange> served = new AtomicReference<>();
        StringBuilder got = new StringBuilder();
        kernel.rules.add(txn -> {
            txn.serve((TcpService) exchange -> {
                served.set(exchange);
                exchange.receive(new TcpServiceExchange.Receiver() {
                    @Override
                    public void data(byte[] bytes) {
                        got.append(new String(bytes, StandardCharsets.ISO_8859_1));
                        exchange.reading(false);
                        loopOf(txn).schedule(() -> exchange.reading(true), 100, TimeUnit.MILLISECONDS);
                    }

                    @Override
                    public void end() {
                        exchange.write(got.toString().getBytes(StandardCharsets.ISO_8859_1));
                        exchange.close();
                    }
                });
            });
            return Verdict.STOP;
        });
        try (Socket socket = connect()) {
            send(socket, "a");
            Thread.sleep(20);
            send(socket, "b");
            socket.shutdownOutput();
            assertEquals("ab", readToEnd(socket));
        }
    }

    @Test
    void aSuspendedRuleIsNotRunAgainWhileDataArrivesAndResumesAtTheNextRule() throws Exception {
        kernel.inspectDelay = 2_000;
        AtomicInteger calls = new AtomicInteger();
        kernel.rules.add(resumeLater(Verdict.CONTINUE, 200, calls));
        kernel.rules.add(serveAfter(4, ECHO));
        try (Socket socket = connect()) {
            send(socket, "ab");
            Thread.sleep(50);
            send(socket, "cd");
            assertEquals("echo:abcd", read(socket, 9));
            socket.shutdownOutput();
            assertEquals(":bye", readToEnd(socket));
        }
        assertEquals(1, calls.get());
    }

    @Test
    void theEndOfInspectDelayWhileSuspendedMakesTheResumedRulesFinal() throws Exception {
        kernel.inspectDelay = 100;
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger finalLength = new AtomicInteger(-1);
        kernel.rules.add(resumeLater(Verdict.CONTINUE, 300, calls));
        kernel.rules.add(txn -> {
            // A rule that would wait for more data: after inspect-delay it must decide.
            txn.markMayChange();
            if (txn.mayChangeMarks() > 0) {
                return Verdict.WAIT;
            }
            finalLength.set(txn.requestBody().length);
            txn.serve(ECHO);
            return Verdict.STOP;
        });
        try (Socket socket = connect()) {
            send(socket, "abc");
            assertEquals("echo:abc", read(socket, 8));
            socket.shutdownOutput();
            assertEquals(":bye", readToEnd(socket));
        }
        assertEquals(1, calls.get());
        assertEquals(3, finalLength.get());
    }

    @Test
    void allowAfterASuspensionGoesOnToRouting() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        kernel.rules.add(resumeLater(Verdict.ALLOW, 50, calls));
        kernel.rules.add(txn -> {
            throw new AssertionError("ALLOW must end the rules");
        });
        try (Socket socket = connect()) {
            assertTrue(closedByServer(socket));
        }
        FakeTcpKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(1, stream.routes);
        assertEquals("PR", stream.termination());
    }

    @Test
    void stopAfterASuspensionRejects() throws Exception {
        kernel.rules.add(resumeLater(Verdict.STOP, 50, new AtomicInteger()));
        try (Socket socket = connect()) {
            send(socket, "data held while waiting");
            assertTrue(closedByServer(socket));
        }
        assertEquals(0, kernel.nextEnded().routes);
    }

    @Test
    void aResumeBeforeReturningPendingCounts() throws Exception {
        kernel.rules.add(txn -> {
            txn.suspend().resume(Verdict.CONTINUE);
            return Verdict.PENDING;
        });
        kernel.rules.add(txn -> {
            txn.serve(ECHO);
            return Verdict.STOP;
        });
        try (Socket socket = connect()) {
            socket.shutdownOutput();
            assertEquals("echo::bye", readToEnd(socket));
        }
    }

    @Test
    void theClientLeavingWhileSuspendedCancelsTheActionAndReleasesHeldBytes() throws Exception {
        kernel.inspectDelay = 2_000;
        CountDownLatch cancelled = new CountDownLatch(1);
        AtomicReference<Suspension> held = new AtomicReference<>();
        kernel.rules.add(txn -> {
            if (txn.requestBody() == null || txn.requestBody().length == 0) {
                txn.markMayChange();
                return Verdict.WAIT;
            }
            Suspension suspension = txn.suspend();
            suspension.onCancel(cancelled::countDown);
            held.set(suspension);
            return Verdict.PENDING;
        });
        try (Socket socket = connect()) {
            send(socket, "x".repeat(1000));
            Thread.sleep(100);
            socket.setSoLinger(true, 0);
        }
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        FakeTcpKernel.FakeStream stream = kernel.nextEnded();
        assertEquals(TerminationCause.CLIENT_ABORT, stream.cause);
        kernel.group.next().submit(() -> held.get().resume(Verdict.ALLOW)).get();
        Thread.sleep(50);
        assertEquals(0, stream.routes);
    }

    @Test
    void timeoutClientEndsASuspensionThatNeverResumes() throws Exception {
        kernel.clientTimeout = 200;
        CountDownLatch cancelled = new CountDownLatch(1);
        kernel.rules.add(txn -> {
            txn.suspend().onCancel(cancelled::countDown);
            return Verdict.PENDING;
        });
        try (Socket socket = connect()) {
            assertTrue(closedByServer(socket));
        }
        assertTrue(cancelled.await(5, TimeUnit.SECONDS));
        assertEquals("IR", kernel.nextEnded().termination());
    }
}
