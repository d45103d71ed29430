package io.luagate.plugin.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.luagate.spi.rule.Action;
import io.luagate.spi.rule.ChannelBuffer;
import io.luagate.spi.rule.Suspension;
import io.luagate.spi.rule.Transaction;
import io.luagate.spi.rule.Verdict;
import io.luagate.spi.stream.StreamPhase;
import io.luagate.spi.stream.TerminationCause;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tcp-response content rules and the held bytes of both directions ({@link ChannelBuffer}),
 * through the real codec, with real client sockets and a real server.
 */
class TcpResponseRulesTest {

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

    private static String read(Socket socket, int n) throws IOException {
        return new String(socket.getInputStream().readNBytes(n), StandardCharsets.ISO_8859_1);
    }

    /** Everything until the end; a reset counts as the end. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder out = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                out.append((char) c);
            }
        } catch (java.net.SocketException e) {
            // Reset by the peer: the end, as far as the client can tell.
        }
        return out.toString();
    }

    private static String line(Socket socket) throws IOException {
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Waits (as a condition on data that may still grow does) until the response holds {@code n}
     * bytes, then decides with {@code then}; in the last evaluation it decides with what is there.
     */
    private static Action untilResponse(int n, Function<Transaction, Verdict> then) {
        return txn -> {
            if (txn.channel(true).input() < n) {
                int before = txn.mayChangeMarks();
                txn.markMayChange();
                if (txn.mayChangeMarks() != before) {
                    return Verdict.WAIT;
                }
            }
            return then.apply(txn);
        };
    }

    private static io.netty.channel.EventLoop loopOf(Transaction txn) {
        return txn.stream().session().channel().eventLoop();
    }

    /** Calls {@code done} once {@code buffer} holds {@code n} bytes, or when no more can come for its rules. */
    private static void whenHolding(ChannelBuffer buffer, int n, AtomicInteger wakes, Runnable done) {
        if (buffer.input() >= n || !buffer.moreMayCome()) {
            done.run();
            return;
        }
        buffer.onChange(() -> {
            wakes.incrementAndGet();
            whenHolding(buffer, n, wakes, done);
        });
    }

    @Test
    void theRulesSeeTheServersFirstBytesAndMayRewriteThemBeforeTheTunnel() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("220 ready\r\n"));
            String got = line(socket);
            socket.getOutputStream().write(bytes("echo " + got + "\n"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 2_000;
            kernel.responseRules.add(untilResponse(11, txn -> {
                ChannelBuffer res = txn.channel(true);
                seen.set(text(res.read(0, res.input())));
                assertTrue(res.isResponse());
                assertEquals(3, res.set(0, 3, bytes("230")));
                return Verdict.ALLOW;
            }));
            try (Socket client = connect()) {
                assertEquals("230 ready\r\n", read(client, 11));
                send(client, "hi\n");
                assertEquals("echo hi\n", read(client, 8));
                client.shutdownOutput();
                assertEquals("end", server.next());
                assertEquals("", readToEnd(client));
            }
            FakeTcpKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("220 ready\r\n", seen.get());
            assertEquals("--", stream.termination());
            assertEquals(19, stream.bytesOut);
        }
    }

    @Test
    void rejectClosesBothConnectionsAndForwardsNothing() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("BAD stuff"));
            try {
                report.add(socket.getInputStream().read() < 0 ? "server saw the end" : "more");
            } catch (IOException e) {
                report.add("server saw the end");
            }
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 2_000;
            kernel.responseRules.add(untilResponse(3, txn -> {
                if (text(txn.channel(true).read(0, 3)).equals("BAD")) {
                    txn.stream().terminate(TerminationCause.PROXY, StreamPhase.DATA);
                    return Verdict.STOP;
                }
                return Verdict.CONTINUE;
            }));
            try (Socket client = connect()) {
                assertEquals("", readToEnd(client));
            }
            assertEquals("server saw the end", server.next());
            FakeTcpKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("PD", stream.termination());
            assertEquals(0, stream.bytesOut);
        }
    }

    @Test
    void theEndOfInspectDelayMakesWhatArrivedFinal() throws Exception {
        AtomicInteger finalLength = new AtomicInteger(-1);
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("partial"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 300;
            kernel.responseRules.add(untilResponse(100, txn -> {
                finalLength.set(txn.channel(true).input());
                return Verdict.CONTINUE;
            }));
            long start = System.nanoTime();
            try (Socket client = connect()) {
                assertEquals("partial", read(client, 7));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "held for the inspect-delay");
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals(7, finalLength.get());
        }
    }

    @Test
    void theClientsBytesReachTheServerWhileItsResponseIsInspected() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            String got = line(socket);
            socket.getOutputStream().write(bytes("got " + got + "\n"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 3_000;
            kernel.responseRules.add(untilResponse(1, txn -> Verdict.ALLOW));
            long start = System.nanoTime();
            try (Socket client = connect()) {
                Thread.sleep(50);
                send(client, "ping\n");
                assertEquals("got ping\n", read(client, 9));
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_000), "no wait for inspect-delay");
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals("--", kernel.nextEnded().termination());
        }
    }

    @Test
    void theClientsFinReachesTheServerWhileItsResponseIsInspected() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            // Answers only once the client ended its output.
            String got = text(socket.getInputStream().readAllBytes());
            socket.getOutputStream().write(bytes("got " + got));
            report.add("answered");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 3_000;
            kernel.responseRules.add(untilResponse(4, txn -> Verdict.ALLOW));
            long start = System.nanoTime();
            try (Socket client = connect()) {
                send(client, "ping\n");
                client.shutdownOutput();
                assertEquals("got ping\n", readToEnd(client));
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_000), "no wait for inspect-delay");
            }
            assertEquals("answered", server.next());
            assertEquals("--", kernel.nextEnded().termination());
        }
    }

    @Test
    void aSuspendedResponseActionHoldsTheDataAndTheRulesGoOnAtTheNextRule() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("ab"));
            Thread.sleep(100);
            socket.getOutputStream().write(bytes("cd"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 3_000;
            kernel.responseRules.add(txn -> {
                calls.incrementAndGet();
                Suspension suspension = txn.suspend();
                loopOf(txn).schedule(() -> suspension.resume(Verdict.CONTINUE), 300, TimeUnit.MILLISECONDS);
                return Verdict.PENDING;
            });
            kernel.responseRules.add(untilResponse(4, txn -> {
                held.set(txn.channel(true).input());
                return Verdict.ALLOW;
            }));
            try (Socket client = connect()) {
                assertEquals("abcd", read(client, 4));
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals(1, calls.get());
            assertEquals(4, held.get());
        }
    }

    @Test
    void closeSendsWhatWasHeldThenEndsBothConnections() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("bye now"));
            try {
                report.add(socket.getInputStream().read() < 0 ? "closed by the proxy" : "more");
            } catch (IOException e) {
                report.add("closed by the proxy");
            }
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 2_000;
            kernel.responseRules.add(untilResponse(7, txn -> {
                txn.closeServer();
                return Verdict.ALLOW;
            }));
            try (Socket client = connect()) {
                assertEquals("bye now", readToEnd(client));
            }
            assertEquals("closed by the proxy", server.next());
            assertEquals("--", kernel.nextEnded().termination());
        }
    }

    @Test
    void theServersFinDuringInspectionEndsTheWaitAndFollowsItsBytes() throws Exception {
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("last words"));
            socket.shutdownOutput();
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 3_000;
            kernel.responseRules.add(untilResponse(100, txn -> Verdict.CONTINUE));
            long start = System.nanoTime();
            try (Socket client = connect()) {
                assertEquals("last words", readToEnd(client));
                assertTrue(System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(2_000), "the FIN ended the wait");
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals("--", kernel.nextEnded().termination());
        }
    }

    @Test
    void aSuspendedResponseActionIsBoundedByTimeoutServer() throws Exception {
        CountDownLatch cancelled = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("hello"));
            try {
                report.add(socket.getInputStream().read() < 0 ? "closed" : "more");
            } catch (IOException e) {
                report.add("closed");
            }
        })) {
            kernel.server = server.address();
            kernel.serverTimeout = 200;
            kernel.responseRules.add(txn -> {
                txn.suspend().onCancel(cancelled::countDown);
                return Verdict.PENDING;
            });
            try (Socket client = connect()) {
                assertEquals("", readToEnd(client));
            }
            assertTrue(cancelled.await(5, TimeUnit.SECONDS));
            assertEquals("closed", server.next());
            assertEquals("ID", kernel.nextEnded().termination());
        }
    }

    @Test
    void theClientLeavingDuringResponseInspectionClosesTheServerAndReleasesTheHeldBytes() throws Exception {
        CountDownLatch inspected = new CountDownLatch(1);
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("x".repeat(500)));
            try {
                report.add(socket.getInputStream().read() < 0 ? "closed" : "more");
            } catch (IOException e) {
                report.add("closed");
            }
        })) {
            kernel.server = server.address();
            kernel.responseInspectDelay = 5_000;
            kernel.responseRules.add(txn -> {
                if (txn.channel(true).input() > 0) {
                    inspected.countDown();
                }
                txn.markMayChange();
                return Verdict.WAIT;
            });
            try (Socket client = connect()) {
                assertTrue(inspected.await(5, TimeUnit.SECONDS));
                client.setSoLinger(true, 0);
            }
            assertEquals("closed", server.next());
            FakeTcpKernel.FakeStream stream = kernel.nextEnded();
            assertEquals("CD", stream.termination());
            assertEquals(0, stream.bytesOut);
        }
    }

    @Test
    void requestRulesRewriteTheHeldBytesAndSendToTheClientAtOnce() throws Exception {
        AtomicReference<String> sizes = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            report.add(text(socket.getInputStream().readNBytes(9)));
            socket.getOutputStream().write(bytes("ok\n"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.inspectDelay = 2_000;
            kernel.rules.add(txn -> {
                ChannelBuffer req = txn.channel(false);
                if (req.input() < 6) {
                    txn.markMayChange();
                    return Verdict.WAIT;
                }
                assertFalse(req.isResponse());
                assertEquals(5, req.set(0, 5, bytes("HOWDY")));
                assertEquals(2, req.prepend(bytes("> ")));
                assertEquals(8, txn.channel(true).send(bytes("welcome\n")));
                assertEquals(2, req.forward(2));
                assertEquals(1, req.append(bytes("!")));
                assertEquals(1, req.insert(0, bytes("<")));
                assertEquals(1, req.remove(0, 1));
                sizes.set(req.input() + "/" + req.output());
                return Verdict.ALLOW;
            });
            try (Socket client = connect()) {
                send(client, "hello\n");
                assertEquals("welcome\n", read(client, 8));
                assertEquals("> HOWDY\n!", server.next());
                assertEquals("ok\n", read(client, 3));
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals("7/2", sizes.get());
        }
    }

    @Test
    void aWaitingCallerIsWokenByNewBytesAndByTheLastEvaluation() throws Exception {
        AtomicInteger wakes = new AtomicInteger();
        AtomicReference<String> got = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            report.add(text(socket.getInputStream().readNBytes(5)));
            socket.getOutputStream().write(bytes("done"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.inspectDelay = 400;
            kernel.rules.add(txn -> {
                ChannelBuffer req = txn.channel(false);
                Suspension suspension = txn.suspend();
                // Waits for 100 bytes: only 5 come, so the end of inspect-delay must end the wait.
                whenHolding(req, 100, wakes, () -> {
                    got.set(text(req.read(0, req.input())));
                    suspension.resume(Verdict.ALLOW);
                });
                return Verdict.PENDING;
            });
            long start = System.nanoTime();
            try (Socket client = connect()) {
                send(client, "ab");
                Thread.sleep(50);
                send(client, "cde");
                assertEquals("abcde", server.next());
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(350), "waited for inspect-delay");
                assertEquals("done", read(client, 4));
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals("abcde", got.get());
            assertTrue(wakes.get() >= 2, "woken by data and by the last evaluation: " + wakes.get());
        }
    }

    @Test
    void withoutInspectDelayTheResponseRulesRunOnceAtConnect() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<Boolean> mayWait = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer((socket, report) -> {
            socket.getOutputStream().write(bytes("hi"));
            report.add(socket.getInputStream().read() < 0 ? "end" : "more");
        })) {
            kernel.server = server.address();
            kernel.responseRules.add(txn -> {
                calls.incrementAndGet();
                mayWait.set(txn.channel(true).moreMayCome());
                return Verdict.CONTINUE;
            });
            try (Socket client = connect()) {
                assertEquals("hi", read(client, 2));
                client.shutdownOutput();
                assertEquals("end", server.next());
            }
            assertEquals(1, calls.get());
            assertFalse(mayWait.get());
        }
    }
}
